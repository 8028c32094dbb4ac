import { type Kysely, sql } from 'kysely';
import { untilProjected } from '../runner/until-projected.js';
import { puItemsProjection } from './projection.js';

export interface PuItemView {
  id: string;
  source: string;
  sourceId: string;
  title: string;
  url: string;
  publishedAt: string | null;
  status: string;
  relevance: number | null;
  summary: string | null;
  action: string | null;
  skill: string | null;
  proposal: string | null;
  costMicros: number;
  discoveredAt: string;
  triagedAt: string | null;
  hitlRequestId: string | null;
  geneId: string | null;
  sessionId: string | null;
}

interface ItemRow {
  id: string;
  source: string;
  source_id: string;
  title: string;
  url: string;
  published_at: string | null;
  status: string;
  relevance: number | null;
  summary: string | null;
  action: string | null;
  skill: string | null;
  proposal: string | null;
  cost_micros: string | number;
  triaged_at: Date | string | null;
  hitl_request_id: string | null;
  gene_id: string | null;
  session_id: string | null;
  discovered_at: Date | string;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

const view = (row: ItemRow): PuItemView => ({
  id: row.id,
  source: row.source,
  sourceId: row.source_id,
  title: row.title,
  url: row.url,
  publishedAt: row.published_at,
  status: row.status,
  relevance: row.relevance === null ? null : Number(row.relevance),
  summary: row.summary,
  action: row.action,
  skill: row.skill,
  proposal: row.proposal,
  costMicros: Number(row.cost_micros),
  discoveredAt: iso(row.discovered_at),
  triagedAt: row.triaged_at === null ? null : iso(row.triaged_at),
  hitlRequestId: row.hitl_request_id,
  geneId: row.gene_id,
  sessionId: row.session_id,
});

/** An org's items, newest first, of one status when asked. */
export async function listPuItems(
  db: Kysely<unknown>,
  options: { org: string; status?: string | undefined; limit: number },
): Promise<PuItemView[]> {
  const { rows } = await sql<ItemRow>`
    SELECT * FROM pu_items WHERE org = ${options.org}
      ${options.status ? sql`AND status = ${options.status}` : sql``}
    ORDER BY discovered_at DESC, id LIMIT ${options.limit}`.execute(db);
  return rows.map(view);
}

/** Items still awaiting triage, oldest first: a pass's work list. */
export async function puItemsAwaitingTriage(
  db: Kysely<unknown>,
  options: { org: string; limit: number },
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM pu_items WHERE org = ${options.org} AND status = 'new'
    ORDER BY discovered_at, id LIMIT ${options.limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** Items never promoted that were discovered before `before`: the stale sweep's candidates. */
export async function stalePuItems(
  db: Kysely<unknown>,
  options: { org: string; before: Date },
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM pu_items WHERE org = ${options.org}
      AND status IN ('new', 'triaged', 'triage_failed') AND discovered_at < ${options.before}
    ORDER BY discovered_at, id`.execute(db);
  return rows.map((r) => r.id);
}

/** Items whose promotion awaits a person's decision. */
export async function puItemsAwaitingPromotion(
  db: Kysely<unknown>,
  options: { org: string },
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM pu_items WHERE org = ${options.org} AND status = 'promotion_pending' ORDER BY id`.execute(
    db,
  );
  return rows.map((r) => r.id);
}

/** What triage cost the org since `since` (the start of the month), in micro-dollars. */
export async function puTriageSpend(
  db: Kysely<unknown>,
  options: { org: string; since: Date },
): Promise<number> {
  const { rows } = await sql<{ spent: string | number | null }>`
    SELECT sum(cost_micros) AS spent FROM pu_items
    WHERE org = ${options.org} AND triaged_at >= ${options.since}`.execute(db);
  return Number(rows[0]?.spent ?? 0);
}

/** Resolves once the list has applied every committed event of its types (false after `timeoutMs`). */
export const untilPuItemsProjected = (db: Kysely<unknown>, timeoutMs = 5_000): Promise<boolean> =>
  untilProjected({ db, projections: [puItemsProjection], timeoutMs });
