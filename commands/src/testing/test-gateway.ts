import type { EventStore } from '@proofpane/core';
import type { Kysely } from 'kysely';
import { createBudgetLedger, createOrgBudgets, migrateBudget } from '../budget/index.js';
import { BUNDLED_PRICES } from '../cost/index.js';
import {
  createGateway,
  createPolicyStore,
  type Gateway,
  migrateGateway,
  type PolicyStore,
} from '../gateway/index.js';
import { createProviderRegistry, type ProviderConfig } from '../providers/index.js';

/**
 * A governed gateway on a test database with every gate in place (policy + DLP, budget, audit), no
 * approvals service and the bundled prices: the real path for specs that run calls on the demo provider
 * or on a fake vendor named in `providers`.
 */
export async function createTestGateway(options: {
  store: EventStore;
  db: Kysely<unknown>;
  providers?: ProviderConfig;
  demoLatencyMs?: number;
}): Promise<{ gateway: Gateway; policies: PolicyStore }> {
  const { store, db } = options;
  await migrateGateway(db);
  await migrateBudget(db);
  const registry = createProviderRegistry({
    config: options.providers ?? {},
    retry: { maxAttempts: 1 },
    ...(options.demoLatencyMs !== undefined ? { demoLatencyMs: options.demoLatencyMs } : {}),
  });
  const policies = createPolicyStore({ db, store });
  const gateway = createGateway({
    store,
    ledger: createBudgetLedger({ db }),
    orgBudgets: createOrgBudgets({ db }),
    policies,
    registry,
    orgCredentials: async () => undefined,
    platformProviders: registry.available(),
    prices: () => BUNDLED_PRICES,
    settings: { defaultMaxTokens: 4_096, reservationTtlSeconds: 900, anomalyFactor: 1_000 },
    now: () => new Date(),
  });
  return { gateway, policies };
}
