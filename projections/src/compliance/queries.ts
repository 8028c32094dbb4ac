import { type Kysely, sql } from 'kysely';

/** Evidence gathered for one control or one skill: how many events, the latest, the use cases named. */
export interface EvidenceTally {
  count: number;
  lastAt: string | null;
  useCases: string[];
}

const USE_CASES_SHOWN = 20;
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Rule evidence per control of `org`, for the controls given (all when absent). */
export async function evidenceByControl(options: {
  db: Kysely<unknown>;
  org: string;
  controls?: readonly string[];
}): Promise<Map<string, EvidenceTally>> {
  const filter = options.controls ? sql`AND control_uid = ANY(${[...options.controls]}::text[])` : sql``;
  const { rows } = await sql<{ key: string; n: string; last_at: Date | string; use_cases: string[] | null }>`
    SELECT control_uid AS key, count(*) AS n, max(time) AS last_at,
      array_agg(DISTINCT use_case_id) FILTER (WHERE use_case_id IS NOT NULL) AS use_cases
    FROM compliance_evidence WHERE org = ${options.org} ${filter}
    GROUP BY control_uid`.execute(options.db);
  return new Map(rows.map((r) => [r.key, tally(r)]));
}

/** Accepted skill runs per skill of `org`. */
export async function evidenceBySkill(options: {
  db: Kysely<unknown>;
  org: string;
}): Promise<Map<string, EvidenceTally>> {
  const { rows } = await sql<{ key: string; n: string; last_at: Date | string; use_cases: string[] | null }>`
    SELECT skill AS key, count(*) AS n, max(time) AS last_at,
      array_agg(DISTINCT use_case_id) FILTER (WHERE use_case_id IS NOT NULL) AS use_cases
    FROM compliance_skill_runs WHERE org = ${options.org}
    GROUP BY skill`.execute(options.db);
  return new Map(rows.map((r) => [r.key, tally(r)]));
}

function tally(r: { n: string; last_at: Date | string; use_cases: string[] | null }): EvidenceTally {
  return {
    count: Number(r.n),
    lastAt: iso(r.last_at),
    useCases: [...(r.use_cases ?? [])].sort().slice(0, USE_CASES_SHOWN),
  };
}

/** One event evidencing a control: by a rule, or as a run of a skill mapped to it. */
export interface EvidenceItem {
  seq: number;
  eventId: string;
  type: string;
  time: string;
  /** `rule` with the rule ids, or `skill` with the skill whose accepted run it is. */
  source: { kind: 'rule'; rules: string[] } | { kind: 'skill'; skill: string };
  useCaseId: string | null;
  runId: string | null;
}

interface Window {
  db: Kysely<unknown>;
  org: string;
  control: string;
  /** The skills mapped to the control now (the mapping in force applies to the whole history). */
  skills: readonly string[];
  from?: string;
  to?: string;
}

function evidenceUnion(w: Window, before?: number) {
  const from = w.from ? sql`AND time >= ${w.from}` : sql``;
  const to = w.to ? sql`AND time <= ${w.to}` : sql``;
  const cursor = before !== undefined ? sql`AND seq < ${before}` : sql``;
  return sql`
    SELECT seq, event_id, type, time, 'rule' AS kind, rules AS detail, use_case_id, run_id
    FROM compliance_evidence WHERE org = ${w.org} AND control_uid = ${w.control} ${from} ${to} ${cursor}
    UNION ALL
    SELECT seq, event_id, 'cp.skill.output.accepted' AS type, time, 'skill' AS kind, skill AS detail, use_case_id, run_id
    FROM compliance_skill_runs WHERE org = ${w.org} AND skill = ANY(${[...w.skills]}::text[]) ${from} ${to} ${cursor}`;
}

/** A control's evidence timeline, newest first; `next` is the seq to pass as `before` for the next page. */
export async function controlEvidencePage(
  options: Window & { before?: number; limit: number },
): Promise<{ items: EvidenceItem[]; next: number | null }> {
  const { rows } = await sql<{
    seq: string;
    event_id: string;
    type: string;
    time: Date | string;
    kind: 'rule' | 'skill';
    detail: string;
    use_case_id: string | null;
    run_id: string | null;
  }>`SELECT * FROM (${evidenceUnion(options, options.before)}) e ORDER BY seq DESC LIMIT ${options.limit + 1}`.execute(
    options.db,
  );
  const page = rows.slice(0, options.limit);
  return {
    items: page.map((r) => ({
      seq: Number(r.seq),
      eventId: r.event_id,
      type: r.type,
      time: iso(r.time)!,
      source:
        r.kind === 'rule' ? { kind: 'rule', rules: r.detail.split(',') } : { kind: 'skill', skill: r.detail },
      useCaseId: r.use_case_id,
      runId: r.run_id,
    })),
    next: rows.length > options.limit ? Number(page.at(-1)!.seq) : null,
  };
}

/** The seqs of every event evidencing a control in the window, ascending, at most `max + 1` of them. */
export async function controlEvidenceSeqs(options: Window & { max: number }): Promise<number[]> {
  const { rows } = await sql<{ seq: string }>`
    SELECT DISTINCT seq FROM (${evidenceUnion(options)}) e ORDER BY seq LIMIT ${options.max + 1}`.execute(
    options.db,
  );
  return rows.map((r) => Number(r.seq));
}

/** A mapping override as the read model holds it. */
export interface OverrideRow {
  id: string;
  skill: string;
  control: string;
  action: 'add' | 'remove';
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

interface StoredOverride {
  override_id: string;
  skill: string;
  control_uid: string;
  action: 'add' | 'remove';
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  proposed_by: string;
  proposed_at: Date | string;
  proposed_seq: string;
  decided_by: string | null;
  decided_at: Date | string | null;
  note: string | null;
}

const overrideOf = (r: StoredOverride): OverrideRow => ({
  id: r.override_id,
  skill: r.skill,
  control: r.control_uid,
  action: r.action,
  reason: r.reason,
  status: r.status,
  proposedBy: r.proposed_by,
  proposedAt: iso(r.proposed_at)!,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  note: r.note,
});

/** The org's overrides, newest first; `next` is the proposal seq to pass as `before`. */
export async function listOverrides(options: {
  db: Kysely<unknown>;
  org: string;
  skill?: string;
  control?: string;
  status?: 'pending' | 'approved' | 'rejected';
  before?: number;
  limit: number;
}): Promise<{ overrides: OverrideRow[]; next: number | null }> {
  const { org, skill, control, status, before, limit } = options;
  const { rows } = await sql<StoredOverride>`
    SELECT * FROM compliance_overrides WHERE org = ${org}
      ${skill ? sql`AND skill = ${skill}` : sql``} ${control ? sql`AND control_uid = ${control}` : sql``}
      ${status ? sql`AND status = ${status}` : sql``} ${before !== undefined ? sql`AND proposed_seq < ${before}` : sql``}
    ORDER BY proposed_seq DESC LIMIT ${limit + 1}`.execute(options.db);
  const page = rows.slice(0, limit);
  return {
    overrides: page.map(overrideOf),
    next: rows.length > limit ? Number(page.at(-1)!.proposed_seq) : null,
  };
}

/** One override of the org, or undefined. */
export async function findOverride(options: {
  db: Kysely<unknown>;
  org: string;
  id: string;
}): Promise<OverrideRow | undefined> {
  const { rows } = await sql<StoredOverride>`
    SELECT * FROM compliance_overrides WHERE org = ${options.org} AND override_id = ${options.id}`.execute(
    options.db,
  );
  return rows[0] ? overrideOf(rows[0]) : undefined;
}

/** The org's approved overrides in approval order, for the mapping in force. */
export async function approvedOverrides(options: {
  db: Kysely<unknown>;
  org: string;
}): Promise<{ skill: string; control: string; action: 'add' | 'remove' }[]> {
  const { rows } = await sql<{ skill: string; control_uid: string; action: 'add' | 'remove' }>`
    SELECT skill, control_uid, action FROM compliance_overrides
    WHERE org = ${options.org} AND status = 'approved' ORDER BY decided_seq`.execute(options.db);
  return rows.map((r) => ({ skill: r.skill, control: r.control_uid, action: r.action }));
}
