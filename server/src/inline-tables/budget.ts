import { BUDGET_EVENT_TYPES, rebuildBudget } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import type { RebuildOutcome } from './types.js';

export const BUDGET_TABLES = ['budget_caps', 'budget_months', 'budget_reservations'] as const;

/**
 * The budget ledger, by the budget package's own rebuild (one transaction per org, which also bumps each
 * month row's version so a cached ledger never trusts its old figures). Only orgs with budget events or
 * rows are rebuilt, so an org that never had a budget gains no row.
 */
export async function rebuildBudgetTables(options: {
  db: Kysely<unknown>;
  store: EventStore;
  ttlSeconds: number;
}): Promise<RebuildOutcome> {
  const { db, store, ttlSeconds } = options;
  const { rows: orgs } = await sql<{ org: string }>`
    SELECT DISTINCT org FROM events WHERE type = ANY(${[...BUDGET_EVENT_TYPES]}::text[])
    UNION SELECT org FROM budget_caps UNION SELECT org FROM budget_months UNION SELECT org FROM budget_reservations
    ORDER BY org`.execute(db);
  let events = 0;
  for (const { org } of orgs) events += (await rebuildBudget({ db, store, org, ttlSeconds })).events;
  const rows: Record<string, number> = {};
  for (const table of BUDGET_TABLES) {
    const { rows: counted } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(
      db,
    );
    rows[table] = Number(counted[0]!.n);
  }
  return { events, rows };
}
