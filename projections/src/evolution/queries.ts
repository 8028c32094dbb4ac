import { type Kysely, sql } from 'kysely';

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string).toISOString();

export interface GeneRow {
  geneId: string;
  skill: string;
  text: string;
  rationale: string;
  origin: string;
  proposedBy: string | null;
  motivatingEventIds: string[];
  evidenceRunIds: string[];
  status: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  capsuleId: string | null;
  deprecatedRule: string | null;
  deprecatedAt: string | null;
  replay: Record<string, unknown> | null;
}

const geneOf = (r: Record<string, unknown>): GeneRow => ({
  geneId: r.gene_id as string,
  skill: r.skill as string,
  text: r.text as string,
  rationale: r.rationale as string,
  origin: r.origin as string,
  proposedBy: (r.proposed_by as string | null) ?? null,
  motivatingEventIds: r.motivating_event_ids as string[],
  evidenceRunIds: r.evidence_run_ids as string[],
  status: r.status as string,
  proposedAt: iso(r.proposed_at)!,
  decidedBy: (r.decided_by as string | null) ?? null,
  decidedAt: iso(r.decided_at),
  rejectReason: (r.reject_reason as string | null) ?? null,
  capsuleId: (r.capsule_id as string | null) ?? null,
  deprecatedRule: (r.deprecated_rule as string | null) ?? null,
  deprecatedAt: iso(r.deprecated_at),
  replay: (r.replay as Record<string, unknown> | null) ?? null,
});

/** The org's genes, newest first, of one skill and status when asked. */
export async function listGenes(
  db: Kysely<unknown>,
  options: { org: string; skill?: string | undefined; status?: string | undefined; limit: number },
): Promise<GeneRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM evolution_genes
    WHERE org = ${options.org}
      AND (${options.skill ?? null}::text IS NULL OR skill = ${options.skill ?? null})
      AND (${options.status ?? null}::text IS NULL OR status = ${options.status ?? null})
    ORDER BY proposed_seq DESC LIMIT ${options.limit}`.execute(db);
  return rows.map(geneOf);
}

export async function geneById(
  db: Kysely<unknown>,
  options: { org: string; geneId: string },
): Promise<GeneRow | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM evolution_genes WHERE org = ${options.org} AND gene_id = ${options.geneId}`.execute(db);
  return rows[0] ? geneOf(rows[0]) : undefined;
}

export interface CapsuleRow {
  capsuleId: string;
  skill: string;
  text: string;
  genes: string[];
  previousCapsuleId: string | null;
  createdAt: string;
  active: boolean;
  activatedAt: string | null;
  activatedBy: string | null;
  runs: number;
  lastRunAt: string | null;
}

const capsuleOf = (r: Record<string, unknown>): CapsuleRow => ({
  capsuleId: r.capsule_id as string,
  skill: r.skill as string,
  text: r.text as string,
  genes: r.genes as string[],
  previousCapsuleId: (r.previous_capsule_id as string | null) ?? null,
  createdAt: iso(r.created_at)!,
  active: r.active as boolean,
  activatedAt: iso(r.activated_at),
  activatedBy: (r.activated_by as string | null) ?? null,
  runs: Number(r.runs ?? 0),
  lastRunAt: iso(r.last_run_at),
});

const capsuleSelect = sql`
  SELECT c.*, count(r.run_id) AS runs, max(r.started_at) AS last_run_at
  FROM evolution_capsules c
  LEFT JOIN evolution_capsule_runs r ON r.org = c.org AND r.skill = c.skill AND r.capsule_id = c.capsule_id`;

/** The org's capsules, newest first, with how many runs each answered and when it last did. */
export async function listCapsules(
  db: Kysely<unknown>,
  options: { org: string; skill?: string | undefined; limit: number },
): Promise<CapsuleRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    ${capsuleSelect}
    WHERE c.org = ${options.org} AND (${options.skill ?? null}::text IS NULL OR c.skill = ${options.skill ?? null})
    GROUP BY c.org, c.skill, c.capsule_id
    ORDER BY c.created_seq DESC LIMIT ${options.limit}`.execute(db);
  return rows.map(capsuleOf);
}

export async function capsuleById(
  db: Kysely<unknown>,
  options: { org: string; capsuleId: string },
): Promise<CapsuleRow | undefined> {
  const { rows } = await sql<Record<string, unknown>>`
    ${capsuleSelect}
    WHERE c.org = ${options.org} AND c.capsule_id = ${options.capsuleId}
    GROUP BY c.org, c.skill, c.capsule_id
    ORDER BY c.created_seq LIMIT 1`.execute(db);
  return rows[0] ? capsuleOf(rows[0]) : undefined;
}

export interface CapsuleRunRow {
  runId: string;
  skill: string;
  capsuleId: string;
  startedAt: string;
  status: string;
}

/** Skill runs a capsule answered (or any capsule of a skill), newest first. */
export async function capsuleRuns(
  db: Kysely<unknown>,
  options: { org: string; capsuleId?: string | undefined; skill?: string | undefined; limit: number },
): Promise<CapsuleRunRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM evolution_capsule_runs
    WHERE org = ${options.org}
      AND (${options.capsuleId ?? null}::text IS NULL OR capsule_id = ${options.capsuleId ?? null})
      AND (${options.skill ?? null}::text IS NULL OR skill = ${options.skill ?? null})
    ORDER BY started_at DESC, run_id DESC LIMIT ${options.limit}`.execute(db);
  return rows.map((r) => ({
    runId: r.run_id as string,
    skill: r.skill as string,
    capsuleId: r.capsule_id as string,
    startedAt: iso(r.started_at)!,
    status: r.status as string,
  }));
}

export interface ActivationRow {
  seq: number;
  skill: string;
  capsuleId: string;
  previousCapsuleId: string | null;
  activatedBy: string;
  activatedAt: string;
}

/** A skill's activations, newest first: which capsule was in force when. */
export async function capsuleActivations(
  db: Kysely<unknown>,
  options: { org: string; skill?: string | undefined; limit: number },
): Promise<ActivationRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM evolution_activations
    WHERE org = ${options.org} AND (${options.skill ?? null}::text IS NULL OR skill = ${options.skill ?? null})
    ORDER BY seq DESC LIMIT ${options.limit}`.execute(db);
  return rows.map((r) => ({
    seq: Number(r.seq),
    skill: r.skill as string,
    capsuleId: r.capsule_id as string,
    previousCapsuleId: (r.previous_capsule_id as string | null) ?? null,
    activatedBy: r.activated_by as string,
    activatedAt: iso(r.activated_at)!,
  }));
}

/** When each capsule of a skill last answered a run, for the `stale_after_days` rule. */
export async function lastCapsuleRuns(
  db: Kysely<unknown>,
  options: { org: string; skill: string },
): Promise<Map<string, string>> {
  const { rows } = await sql<{ capsule_id: string; last: unknown }>`
    SELECT capsule_id, max(started_at) AS last FROM evolution_capsule_runs
    WHERE org = ${options.org} AND skill = ${options.skill} GROUP BY capsule_id`.execute(db);
  return new Map(rows.map((r) => [r.capsule_id, iso(r.last)!]));
}

/** The (org, skill) pairs with approved genes: what the stale rule walks. */
export async function skillsWithApprovedGenes(
  db: Kysely<unknown>,
  options: { org: string },
): Promise<{ skill: string; genes: { geneId: string; approvedAt: string }[] }[]> {
  const { rows } = await sql<{ skill: string; gene_id: string; decided_at: unknown }>`
    SELECT skill, gene_id, decided_at FROM evolution_genes
    WHERE org = ${options.org} AND status = 'approved' ORDER BY skill, decided_at`.execute(db);
  const bySkill = new Map<string, { geneId: string; approvedAt: string }[]>();
  for (const r of rows)
    bySkill.set(r.skill, [
      ...(bySkill.get(r.skill) ?? []),
      { geneId: r.gene_id, approvedAt: iso(r.decided_at)! },
    ]);
  return [...bySkill.entries()].map(([skill, genes]) => ({ skill, genes }));
}

/** What the org's `evolution` route calls cost in one calendar month (`YYYY-MM`, UTC). */
export async function evolutionSpend(
  db: Kysely<unknown>,
  options: { org: string; month: string },
): Promise<{ spentMicros: number; calls: number }> {
  const { rows } = await sql<{ spent_micros: string | number; calls: number }>`
    SELECT spent_micros, calls FROM evolution_spend
    WHERE org = ${options.org} AND month = ${options.month}`.execute(db);
  return { spentMicros: Number(rows[0]?.spent_micros ?? 0), calls: Number(rows[0]?.calls ?? 0) };
}
