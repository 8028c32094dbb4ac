import { join } from 'node:path';
import type { Runtime } from '../runtime/runtime.js';
import {
  type BudgetLeases,
  type BudgetLedger,
  createBudgetLeases,
  createBudgetLedger,
  createGateway,
  createOrgBudgets,
  createPolicyStore,
  createPriceRefresher,
  createProviderKeyVault,
  createProviderRegistry,
  type Gateway,
  type GatewayApprovals,
  loadMasterKey,
  migrateBudget,
  migrateGateway,
  migrateSecrets,
  type OrgBudgets,
  type PolicyStore,
  type PriceRefresher,
  type ProviderConfig,
  type ProviderCredentials,
  type ProviderId,
  type ProviderKeyVault,
  type ProviderRegistry,
  providerBaseURLsFromEnv,
  providerConfigFromEnv,
  type RetryPolicy,
  withBatchedLedger,
} from './commands.js';

/** What the gateway routes share; one per app. */
export interface GatewayContext {
  gateway: Gateway;
  policies: PolicyStore;
  ledger: BudgetLedger;
  /** Each org's cap, open provider anomalies and own prices, cached for the gate. */
  orgBudgets: OrgBudgets;
  /** This process's budget leases; closing gives back what no call used. */
  leases: BudgetLeases;
  vault: ProviderKeyVault;
  registry: ProviderRegistry;
  prices: PriceRefresher;
  providerConfig: ProviderConfig;
  /** Drops cached org keys after a change, so the next call uses the new one. */
  forgetOrgKeys(org: string): void;
  now(): Date;
}

const KEY_CACHE_MS = 1_000;

export async function createGatewayContext(options: {
  runtime: Runtime;
  retry?: Partial<RetryPolicy>;
  approvals?: GatewayApprovals;
}): Promise<GatewayContext> {
  const { runtime } = options;
  const { config, database, store } = runtime;
  const db = database.db;
  await migrateGateway(db);
  await migrateBudget(db);
  await migrateSecrets(db);
  const masterKey = loadMasterKey({ envValue: config.masterKey, dataDir: config.dataDir });
  const providerConfig = providerConfigFromEnv(config.providerEnv);
  // An org's own key goes to the same place as the platform's, set or not.
  const baseURLs = providerBaseURLsFromEnv(config.providerEnv);
  const registry = createProviderRegistry({
    config: providerConfig,
    demoLatencyMs: config.demoLatencyMs,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const ledger = withBatchedLedger({ ledger: createBudgetLedger({ db }), db });
  const orgBudgets = createOrgBudgets({ db });
  const leases = createBudgetLeases({ ledger, store, ttlSeconds: config.reservationTtlSeconds });
  const vault = createProviderKeyVault({ db, masterKey });
  const policies = createPolicyStore({ db, store });
  const prices = createPriceRefresher({ cacheFile: join(config.dataDir, 'cache', 'litellm-prices.json') });
  const now = () => new Date();

  const keyCache = new Map<string, { at: number; credentials: ProviderCredentials | undefined }>();
  const orgCredentials = async ({ org, provider }: { org: string; provider: ProviderId }) => {
    const cacheKey = `${org}\u0000${provider}`;
    const hit = keyCache.get(cacheKey);
    if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.credentials;
    const apiKey = provider === 'demo' ? undefined : await vault.reveal({ org, provider });
    const baseURL = provider === 'demo' ? undefined : baseURLs[provider];
    const credentials = apiKey ? { apiKey, ...(baseURL ? { baseURL } : {}) } : undefined;
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(cacheKey, { at: Date.now(), credentials });
    return credentials;
  };

  const gateway = createGateway({
    store,
    ledger,
    leases,
    orgBudgets,
    policies,
    registry,
    orgCredentials,
    platformProviders: registry.available(),
    prices: () => prices.current(),
    settings: {
      defaultMaxTokens: config.defaultMaxTokens,
      reservationTtlSeconds: config.reservationTtlSeconds,
      anomalyFactor: config.anomalyFactor,
    },
    now,
    ...(options.approvals ? { approvals: options.approvals } : {}),
  });
  return {
    gateway,
    policies,
    ledger,
    orgBudgets,
    leases,
    vault,
    registry,
    prices,
    providerConfig,
    forgetOrgKeys: (org) => {
      for (const key of keyCache.keys()) if (key.startsWith(`${org}\u0000`)) keyCache.delete(key);
    },
    now,
  };
}
