import type { Actor, EventStore } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import {
  type CompiledPolicy,
  compilePolicy,
  defaultPolicy,
  type PolicyDocument,
  parsePolicy,
} from '../policy/index.js';

export interface ActivePolicy {
  version: number;
  document: PolicyDocument;
  compiled: CompiledPolicy;
}

/**
 * The org's runtime policy. `cp.policy.updated` on subject `policy` is the record (its subject version
 * equals the policy version); `gateway_policies` holds the latest document as an inline read model,
 * rebuilt by replaying those events. Version 0 is the default policy of an org that never set one.
 */
export interface PolicyStore {
  current(options: { org: string }): Promise<ActivePolicy>;
  /** Validates and appends a new version; throws InvalidPolicyError or the store's ConcurrencyError. */
  update(options: {
    org: string;
    actor: Actor;
    input: unknown;
    expectedVersion?: number;
  }): Promise<ActivePolicy>;
}

export const POLICY_SUBJECT = 'policy/runtime';

export function createPolicyStore(options: {
  db: Kysely<unknown>;
  store: EventStore;
  /** How long a compiled policy is reused before the table is read again (other processes' updates). */
  cacheMs?: number;
  /**
   * Orgs whose compiled policy stays in memory, least recently used dropped first; 1,000 unless told.
   * A process serving many orgs would otherwise keep one per org it ever served; a dropped one costs
   * one table read and a compile on its org's next call.
   */
  maxOrgs?: number;
  now?: () => number;
}): PolicyStore {
  const { db, store } = options;
  const cacheMs = options.cacheMs ?? 1_000;
  const now = options.now ?? Date.now;
  const cache = new LRUCache<string, { at: number; policy: ActivePolicy }>({ max: options.maxOrgs ?? 1_000 });
  const fallback: ActivePolicy = (() => {
    const document = defaultPolicy();
    return { version: 0, document, compiled: compilePolicy(document) };
  })();

  const load = async (org: string): Promise<ActivePolicy> => {
    const { rows } = await sql<{ version: number; document: string }>`
      SELECT version, document FROM gateway_policies WHERE org = ${org}`.execute(db);
    const row = rows[0];
    if (!row) return fallback;
    const cached = cache.get(org)?.policy;
    if (cached && cached.version === row.version) return cached;
    const document = parsePolicy(JSON.parse(row.document));
    return { version: row.version, document, compiled: compilePolicy(document) };
  };

  return {
    async current({ org }) {
      const hit = cache.get(org);
      if (hit && now() - hit.at < cacheMs) return hit.policy;
      const policy = await load(org);
      cache.set(org, { at: now(), policy });
      return policy;
    },
    async update({ org, actor, input, expectedVersion }) {
      const document = parsePolicy(input);
      const current = await load(org);
      const base = expectedVersion ?? current.version;
      const version = base + 1;
      await store.append({
        org,
        events: [{ type: 'cp.policy.updated', subject: POLICY_SUBJECT, actor, data: { version, document } }],
        expectedVersions: { [POLICY_SUBJECT]: base },
      });
      const text = JSON.stringify(document);
      await sql`
        INSERT INTO gateway_policies (org, version, document) VALUES (${org}, ${version}, ${text})
        ON CONFLICT (org) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document
        WHERE gateway_policies.version < EXCLUDED.version`.execute(db);
      const policy = { version, document, compiled: compilePolicy(document) };
      cache.set(org, { at: now(), policy });
      return policy;
    },
  };
}
