import type { BudgetLedger } from '../budget/index.js';

const WINDOW = 20;

/**
 * The last call costs per org, the baseline of the anomaly check. Kept in memory and seeded from the
 * ledger the first time an org is seen, so the check costs no query on the hot path.
 */
export interface RecentCosts {
  get(org: string): Promise<readonly number[]>;
  push(org: string, costMicros: number): void;
}

export function createRecentCosts(options: { ledger: BudgetLedger; maxOrgs?: number }): RecentCosts {
  const maxOrgs = options.maxOrgs ?? 10_000;
  const byOrg = new Map<string, number[]>();
  return {
    async get(org) {
      let costs = byOrg.get(org);
      if (!costs) {
        costs = (await options.ledger.recentCosts({ org, limit: WINDOW })).reverse();
        if (byOrg.size >= maxOrgs) byOrg.delete(byOrg.keys().next().value!);
        byOrg.set(org, costs);
      }
      return costs;
    },
    push(org, costMicros) {
      const costs = byOrg.get(org);
      if (!costs) return;
      costs.push(costMicros);
      if (costs.length > WINDOW) costs.shift();
    },
  };
}
