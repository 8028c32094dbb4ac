export { withBatchedLedger } from './batched-ledger.js';
export { BUDGET_EVENT_TYPES, type BudgetModel, emptyBudgetModel, evolveBudget } from './fold.js';
export {
  type BudgetLeases,
  createBudgetLeases,
  type LeasedReservation,
  type LeaseSettings,
} from './lease.js';
export {
  type BudgetFigures,
  type BudgetLedger,
  createBudgetLedger,
  type DueLease,
  type ExpiredReservation,
  type GrantedLease,
  type ReserveOutcome,
  type SettleOutcome,
} from './ledger.js';
export { migrateBudget } from './migrations.js';
export { createOrgBudgets, type OrgBudget, type OrgBudgets } from './org-budget.js';
export { rebuildBudget } from './rebuild.js';
export {
  acknowledgeAnomalies,
  type BudgetView,
  expireReservations,
  setBudgetCap,
  setBudgetPrices,
  viewBudget,
} from './service.js';
export { ALERT_THRESHOLDS, type AlertThreshold, monthOf, newlyCrossed } from './thresholds.js';
