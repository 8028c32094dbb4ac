import {
  type EventEnvelope,
  evidenceFor,
  evidenceRules,
  evidenceRuleTypes,
  sha256Hex,
} from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';
import { COMPLIANCE_TABLES } from './table.js';

const RUN_TYPES = ['cp.run.started', 'cp.skill.invoked', 'cp.skill.output.accepted'] as const;
const OVERRIDE_TYPES = [
  'cp.compliance.mapping.proposed',
  'cp.compliance.mapping.approved',
  'cp.compliance.mapping.rejected',
] as const;
const HANDLES = [...new Set<string>([...evidenceRuleTypes, ...RUN_TYPES, ...OVERRIDE_TYPES])];

interface RunInfo {
  useCaseId: string | null;
  skill: string | null;
}

interface EvidenceRow {
  org: string;
  control: string;
  seq: number;
  eventId: string;
  type: string;
  rules: string;
  time: string;
  useCaseId: string | null;
  runId: string | null;
}

interface SkillRunRow {
  org: string;
  seq: number;
  eventId: string;
  skill: string;
  runId: string;
  time: string;
  useCaseId: string | null;
}

const keyOf = (org: string, runId: string) => `${org}\n${runId}`;
const runOfSubject = (event: EventEnvelope) =>
  event.subject.startsWith('run/') ? event.subject.slice(4) : null;

/** The runs a batch must know the use case or skill of, loaded once per batch. */
async function loadRuns(
  tx: Kysely<unknown>,
  events: readonly EventEnvelope[],
): Promise<Map<string, RunInfo>> {
  const wanted = new Map<string, { org: string; runId: string }>();
  for (const event of events) {
    for (const runId of [event.meta.runId, event.meta.parentRunId, runOfSubject(event)]) {
      if (runId) wanted.set(keyOf(event.org, runId), { org: event.org, runId });
    }
  }
  const runs = new Map<string, RunInfo>();
  if (wanted.size === 0) return runs;
  const keys = [...wanted.values()];
  const { rows } = await sql<{
    org: string;
    run_id: string;
    use_case_id: string | null;
    skill: string | null;
  }>`
    SELECT r.org, r.run_id, r.use_case_id, r.skill FROM compliance_runs r
    JOIN unnest(${keys.map((k) => k.org)}::text[], ${keys.map((k) => k.runId)}::text[]) AS k(org, run_id)
      ON r.org = k.org AND r.run_id = k.run_id`.execute(tx);
  for (const r of rows) runs.set(keyOf(r.org, r.run_id), { useCaseId: r.use_case_id, skill: r.skill });
  return runs;
}

/** What one batch writes, folded in memory so each table takes one statement. */
class Batch {
  readonly evidence: EvidenceRow[] = [];
  readonly skillRuns: SkillRunRow[] = [];
  readonly dirtyRuns = new Map<string, { org: string; runId: string }>();
  readonly proposals: EventEnvelope[] = [];
  readonly decisions: EventEnvelope[] = [];

  constructor(readonly runs: Map<string, RunInfo>) {}

  private run(org: string, runId: string): RunInfo {
    const key = keyOf(org, runId);
    let info = this.runs.get(key);
    if (!info) {
      info = { useCaseId: null, skill: null };
      this.runs.set(key, info);
    }
    this.dirtyRuns.set(key, { org, runId });
    return info;
  }

  /** The use case an event serves: named in its data, or the one of the run it belongs to. */
  private useCaseOf(event: EventEnvelope): string | null {
    const named = optionalText(event.data as Record<string, unknown>, 'useCaseId');
    if (named) return named;
    const runId = event.meta.runId ?? runOfSubject(event);
    return runId ? (this.runs.get(keyOf(event.org, runId))?.useCaseId ?? null) : null;
  }

  add(event: EventEnvelope): void {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'cp.run.started': {
        const runId = runOfSubject(event);
        if (!runId) break;
        const parent = event.meta.parentRunId;
        // A run nested in a use case's run serves that use case too.
        const inherited = parent ? (this.runs.get(keyOf(event.org, parent))?.useCaseId ?? null) : null;
        const info = this.run(event.org, runId);
        info.useCaseId = optionalText(data, 'useCaseId') ?? inherited ?? info.useCaseId;
        break;
      }
      case 'cp.skill.invoked': {
        const runId = runOfSubject(event);
        if (runId) this.run(event.org, runId).skill = text(data, 'skillId');
        break;
      }
      case 'cp.skill.output.accepted': {
        const runId = runOfSubject(event);
        const skill = runId ? this.runs.get(keyOf(event.org, runId))?.skill : null;
        if (runId && skill)
          this.skillRuns.push({
            org: event.org,
            seq: event.seq,
            eventId: event.id,
            skill,
            runId,
            time: isoTime(event.time),
            useCaseId: this.useCaseOf(event),
          });
        break;
      }
      case 'cp.compliance.mapping.proposed':
        this.proposals.push(event);
        break;
      case 'cp.compliance.mapping.approved':
      case 'cp.compliance.mapping.rejected':
        this.decisions.push(event);
        break;
    }
    const matched = evidenceFor(event);
    if (matched.controls.length === 0) return;
    const useCaseId = this.useCaseOf(event);
    for (const control of matched.controls)
      this.evidence.push({
        org: event.org,
        control,
        seq: event.seq,
        eventId: event.id,
        type: event.type,
        rules: matched.rules.filter((id) => ruleControls.get(id)?.has(control)).join(','),
        time: isoTime(event.time),
        useCaseId,
        runId: event.meta.runId ?? runOfSubject(event),
      });
  }
}

const ruleControls = new Map(evidenceRules.map((r) => [r.id, new Set(r.controls)]));

async function write(tx: Kysely<unknown>, batch: Batch): Promise<void> {
  // A run that serves no use case and is no skill run has nothing to remember.
  const runs = [...batch.dirtyRuns.values()]
    .map((k) => ({ ...k, ...batch.runs.get(keyOf(k.org, k.runId))! }))
    .filter((r) => r.useCaseId !== null || r.skill !== null);
  if (runs.length > 0)
    await sql`
      INSERT INTO compliance_runs (org, run_id, use_case_id, skill)
      SELECT * FROM unnest(${runs.map((r) => r.org)}::text[], ${runs.map((r) => r.runId)}::text[],
        ${runs.map((r) => r.useCaseId)}::text[], ${runs.map((r) => r.skill)}::text[])
      ON CONFLICT (org, run_id) DO UPDATE SET use_case_id = excluded.use_case_id, skill = excluded.skill`.execute(
      tx,
    );
  const ev = batch.evidence;
  if (ev.length > 0)
    await sql`
      INSERT INTO compliance_evidence (org, control_uid, seq, event_id, type, rules, time, use_case_id, run_id)
      SELECT * FROM unnest(${ev.map((e) => e.org)}::text[], ${ev.map((e) => e.control)}::text[],
        ${ev.map((e) => e.seq)}::bigint[], ${ev.map((e) => e.eventId)}::text[], ${ev.map((e) => e.type)}::text[],
        ${ev.map((e) => e.rules)}::text[], ${ev.map((e) => e.time)}::timestamptz[],
        ${ev.map((e) => e.useCaseId)}::text[], ${ev.map((e) => e.runId)}::text[])
      ON CONFLICT DO NOTHING`.execute(tx);
  const sr = batch.skillRuns;
  if (sr.length > 0)
    await sql`
      INSERT INTO compliance_skill_runs (org, seq, event_id, skill, run_id, time, use_case_id)
      SELECT * FROM unnest(${sr.map((s) => s.org)}::text[], ${sr.map((s) => s.seq)}::bigint[],
        ${sr.map((s) => s.eventId)}::text[], ${sr.map((s) => s.skill)}::text[], ${sr.map((s) => s.runId)}::text[],
        ${sr.map((s) => s.time)}::timestamptz[], ${sr.map((s) => s.useCaseId)}::text[])
      ON CONFLICT DO NOTHING`.execute(tx);
  for (const event of batch.proposals) {
    const d = event.data as Record<string, unknown>;
    await sql`
      INSERT INTO compliance_overrides (org, override_id, skill, control_uid, action, reason, status, proposed_by,
        proposed_at, proposed_seq)
      VALUES (${event.org}, ${text(d, 'overrideId')}, ${text(d, 'skill')}, ${text(d, 'control')},
        ${text(d, 'action')}, ${text(d, 'reason')}, 'pending', ${text(d, 'proposedBy')}, ${isoTime(event.time)},
        ${event.seq})
      ON CONFLICT DO NOTHING`.execute(tx);
  }
  for (const event of batch.decisions) {
    const d = event.data as Record<string, unknown>;
    const approved = event.type === 'cp.compliance.mapping.approved';
    await sql`
      UPDATE compliance_overrides SET status = ${approved ? 'approved' : 'rejected'},
        decided_by = ${text(d, approved ? 'approvedBy' : 'rejectedBy')}, decided_at = ${isoTime(event.time)},
        decided_seq = ${event.seq}, note = ${optionalText(d, 'note')}
      WHERE org = ${event.org} AND override_id = ${text(d, 'overrideId')} AND status = 'pending'`.execute(tx);
  }
}

/**
 * Compliance evidence, evaluated over the log by the declarative rules of core/src/controls (rather than
 * tagged at write time, decisions/0022), plus skill runs and mapping overrides. Dropped and rebuilt, it
 * answers the same.
 */
/** Bump when `apply` or the tables change. */
const CODE_VERSION = 1;
// The rules are part of the version: editing evidence-rules.json re-evaluates the history on the next start.
const RULES_FINGERPRINT = Number.parseInt(sha256Hex(JSON.stringify(evidenceRules)).slice(0, 6), 16);

export const complianceProjection: Projection = {
  name: 'compliance',
  version: CODE_VERSION * 100_000_000 + RULES_FINGERPRINT,
  handles: HANDLES,
  tables: COMPLIANCE_TABLES,
  async apply({ tx, events }) {
    const envelopes = events.map((e) => e.event);
    const batch = new Batch(await loadRuns(tx, envelopes));
    for (const event of envelopes) batch.add(event);
    await write(tx, batch);
  },
};
