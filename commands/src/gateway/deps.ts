import type { EventStore } from '@proofpane/core';
import type { BudgetLeases, BudgetLedger, OrgBudgets } from '../budget/index.js';
import type { PriceTable } from '../cost/index.js';
import type { HitlConsumeInput, HitlRequestInput } from '../hitl/index.js';
import type { ProviderCredentials, ProviderId, ProviderRegistry } from '../providers/index.js';
import type { PolicyStore } from './policies.js';
import type { GatewaySettings } from './types.js';

/** Everything a governed call touches; the server wires the real ones, tests may swap any. */
export interface GatewayDeps {
  store: EventStore;
  ledger: BudgetLedger;
  /**
   * The process's budget leases: calls reserve from them in memory and record reservation and settlement in
   * their outcome append. Without it (or near the cap) every call reserves exactly in the ledger first.
   */
  leases?: BudgetLeases;
  /** The org's cap, open provider anomalies and own prices, as the gate reads them before pricing a call. */
  orgBudgets: OrgBudgets;
  policies: PolicyStore;
  registry: ProviderRegistry;
  /** The org's own key for a provider (decrypted), if it set one. */
  orgCredentials(options: { org: string; provider: ProviderId }): Promise<ProviderCredentials | undefined>;
  /** Providers with platform credentials (and `demo`). */
  platformProviders: readonly ProviderId[];
  prices(): PriceTable;
  settings: GatewaySettings;
  now(): Date;
  /** Where a call the policy sends to a person asks for approval; without it such calls are refused. */
  approvals?: GatewayApprovals;
}

/** The HITL service as the gateway sees it: the gateway fills in the kind and the threshold. */
export interface GatewayApprovals {
  request(
    input: Omit<HitlRequestInput, 'kind' | 'autoApproveThreshold'>,
  ): Promise<{ requestId: string; status: 'pending' | 'approved' }>;
  consume(input: HitlConsumeInput): Promise<void>;
}
