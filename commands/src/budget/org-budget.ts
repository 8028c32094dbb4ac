import { type Kysely, sql } from 'kysely';
import type { ModelPrice } from '../cost/index.js';

/** What the gate needs to know about an org's budget before it prices a call. */
export interface OrgBudget {
  capMicros: number | null;
  /** Provider anomalies no admin has acknowledged yet: while any is open, the org's calls are refused. */
  openAnomalies: number;
  /** The org's own prices, keyed `provider/model`; they win over the price table. */
  models: Readonly<Record<string, ModelPrice>>;
  /** The price of a model neither the org nor the table prices; null: such a model has no price. */
  defaultPrice: ModelPrice | null;
}

export interface OrgBudgets {
  get(org: string): Promise<OrgBudget>;
  /** Drops the cached figures after this process appended an event that changes them. */
  forget(org: string): void;
}

const MAX_ORGS = 10_000;

/**
 * The org's cap, open anomalies and own prices, read at most once per `ttlMs` (default 1 s) per org, so the
 * gate costs no query on the hot path. Another process's change is seen within `ttlMs`; this process's own
 * changes at once (`forget`). The cap itself is enforced by the ledger's reservation, never by this copy.
 */
export function createOrgBudgets(options: { db: Kysely<unknown>; ttlMs?: number }): OrgBudgets {
  const { db } = options;
  const ttlMs = options.ttlMs ?? 1_000;
  const cache = new Map<string, { at: number; value: Promise<OrgBudget> }>();
  const read = async (org: string): Promise<OrgBudget> => {
    const { rows } = await sql<{ cap: unknown; open: unknown; models: unknown; fallback: unknown }>`
      SELECT c.cap_micros AS cap, c.open_anomalies AS open, p.models, p.default_price AS fallback
      FROM (SELECT ${org}::text AS org) o
      LEFT JOIN budget_caps c ON c.org = o.org
      LEFT JOIN budget_prices p ON p.org = o.org`.execute(db);
    const row = rows[0];
    const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
    return {
      capMicros: row?.cap === null || row?.cap === undefined ? null : Number(row.cap),
      openAnomalies: Number(row?.open ?? 0),
      models: (json(row?.models) as Record<string, ModelPrice> | null) ?? {},
      defaultPrice: (json(row?.fallback) as ModelPrice | null) ?? null,
    };
  };
  return {
    get(org) {
      const hit = cache.get(org);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const value = read(org);
      // A failed read is not cached: the next call asks again.
      value.catch(() => cache.delete(org));
      if (cache.size >= MAX_ORGS) cache.delete(cache.keys().next().value!);
      cache.set(org, { at: Date.now(), value });
      return value;
    },
    forget(org) {
      cache.delete(org);
    },
  };
}
