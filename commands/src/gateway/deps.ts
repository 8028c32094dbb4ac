import type { EventStore } from '@proofpane/core';
import type { BudgetLedger } from '../budget/index.js';
import type { PriceTable } from '../cost/index.js';
import type { ProviderCredentials, ProviderId, ProviderRegistry } from '../providers/index.js';
import type { PolicyStore } from './policies.js';
import type { GatewayCall, GatewaySettings } from './types.js';

/** Everything a governed call touches; the server wires the real ones, tests may swap any. */
export interface GatewayDeps {
  store: EventStore;
  ledger: BudgetLedger;
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

/** The HITL service as the gateway sees it. */
export interface GatewayApprovals {
  request(input: {
    org: string;
    actor: GatewayCall['caller']['actor'];
    target: string;
    args: unknown;
    argsSha256: string;
    summary: string;
    reason: string;
    rulesMatched: string[];
    dlp: Record<string, number>;
    agent?: string | undefined;
    timeoutSeconds: number;
  }): Promise<{ requestId: string; status: 'pending' | 'approved' }>;
  consume(input: {
    org: string;
    actor: GatewayCall['caller']['actor'];
    requestId: string;
    argsSha256: string;
  }): Promise<void>;
}
