import { type Kysely, sql } from 'kysely';

export type TriageStatus = 'open' | 'assigned' | 'resolved';

export interface TriageItemView {
  id: string;
  runId: string;
  skill: string;
  status: TriageStatus;
  reasons: string[];
  output: string | null;
  l3: {
    unknown: { text: string; framework: string }[];
    misattributed: { text: string; named: string; actual: string }[];
  } | null;
  judgeId: string | null;
  score: number | null;
  disagreement: number | null;
  unsupportedClaims: string[];
  openedAt: string;
  assignee: string | null;
  resolution: string | null;
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

interface ItemRow {
  item_id: string;
  run_id: string;
  skill: string;
  status: TriageStatus;
  reasons: string[];
  output: string | null;
  l3: unknown;
  judge_id: string | null;
  score: number | null;
  disagreement: number | null;
  unsupported_claims: unknown;
  opened_at: Date | string;
  assignee: string | null;
  resolution: string | null;
  note: string | null;
  resolved_by: string | null;
  resolved_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const parsed = <T>(value: unknown): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);

const itemOf = (r: ItemRow): TriageItemView => ({
  id: r.item_id,
  runId: r.run_id,
  skill: r.skill,
  status: r.status,
  reasons: r.reasons,
  output: r.output,
  l3: r.l3 === null ? null : parsed(r.l3),
  judgeId: r.judge_id,
  score: r.score,
  disagreement: r.disagreement,
  unsupportedClaims: parsed<string[]>(r.unsupported_claims),
  openedAt: iso(r.opened_at),
  assignee: r.assignee,
  resolution: r.resolution,
  note: r.note,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at),
});

const SELECT_ITEM = sql`SELECT item_id, run_id, skill, status, reasons, output, l3, judge_id, score,
  disagreement, unsupported_claims, opened_at, assignee, resolution, note, resolved_by, resolved_at
  FROM quality_triage_items`;

/** A page cursor: the last item's opening time and id, opaque to clients; undefined when it does not parse. */
export const encodeTriageCursor = (time: string, id: string) =>
  Buffer.from(JSON.stringify([time, id])).toString('base64url');

export function decodeTriageCursor(cursor: string): { time: string; id: string } | undefined {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(time)))
      return undefined;
    return { time, id };
  } catch {
    return undefined;
  }
}

/** The org's triage items, newest first, by status and skill. */
export async function listTriageItems(
  db: Kysely<unknown>,
  options: {
    org: string;
    status?: TriageStatus | undefined;
    skill?: string | undefined;
    after?: { time: string; id: string } | undefined;
    limit: number;
  },
): Promise<{ items: TriageItemView[]; next: string | null }> {
  const { org, status, skill, after, limit } = options;
  const { rows } = await sql<ItemRow>`${SELECT_ITEM}
    WHERE org = ${org}
      ${status ? sql`AND status = ${status}` : sql``}
      ${skill ? sql`AND skill = ${skill}` : sql``}
      ${after ? sql`AND (opened_at, item_id) < (${after.time}::timestamptz, ${after.id})` : sql``}
    ORDER BY opened_at DESC, item_id DESC LIMIT ${limit + 1}`.execute(db);
  const items = rows.slice(0, limit).map(itemOf);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? encodeTriageCursor(last.openedAt, last.id) : null };
}

export async function getTriageItem(
  db: Kysely<unknown>,
  options: { org: string; itemId: string },
): Promise<TriageItemView | undefined> {
  const { rows } = await sql<ItemRow>`${SELECT_ITEM}
    WHERE org = ${options.org} AND item_id = ${options.itemId}`.execute(db);
  return rows[0] && itemOf(rows[0]);
}

/** L3-flagged skill runs with no triage item yet, oldest first, across orgs: the triage loop's work. */
export async function pendingTriage(
  db: Kysely<unknown>,
  options: { limit: number },
): Promise<{ org: string; runId: string; l3: NonNullable<TriageItemView['l3']> }[]> {
  const { rows } = await sql<{ org: string; run_id: string; l3: unknown }>`
    SELECT org, run_id, l3 FROM quality_triage_pending ORDER BY flagged_at, org, run_id
    LIMIT ${options.limit}`.execute(db);
  return rows.map((r) => ({ org: r.org, runId: r.run_id, l3: parsed(r.l3) }));
}

/** What the org's judge verdicts cost in one calendar month (`YYYY-MM`, UTC). */
export async function judgeSpend(
  db: Kysely<unknown>,
  options: { org: string; month: string },
): Promise<{ spentMicros: number; verdicts: number }> {
  const { rows } = await sql<{ spent_micros: string | number; verdicts: number }>`
    SELECT spent_micros, verdicts FROM quality_judge_spend
    WHERE org = ${options.org} AND month = ${options.month}`.execute(db);
  return { spentMicros: Number(rows[0]?.spent_micros ?? 0), verdicts: Number(rows[0]?.verdicts ?? 0) };
}
