import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { isoTime, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';
import { QUALITY_DRIFT_TABLES } from './table.js';

const HOUR_MS = 3_600_000;
/** The hour an event falls in: the read model's bucket. */
export const bucketOf = (time: string) =>
  new Date(Math.floor(Date.parse(time) / HOUR_MS) * HOUR_MS).toISOString();

const runOf = (event: EventEnvelope) => (event.subject.startsWith('run/') ? event.subject.slice(4) : null);
const json = (value: unknown) => JSON.stringify(value);

async function addToBucket(
  tx: Kysely<unknown>,
  at: { org: string; skill: string; time: string },
  add: { runs?: number; passed?: number; checked?: number; flagged?: number },
): Promise<void> {
  const { runs = 0, passed = 0, checked = 0, flagged = 0 } = add;
  await sql`
    INSERT INTO quality_drift_buckets (org, skill, bucket, runs, passed, l3_checked, l3_flagged)
    VALUES (${at.org}, ${at.skill}, ${bucketOf(at.time)}::timestamptz, ${runs}, ${passed}, ${checked}, ${flagged})
    ON CONFLICT (org, skill, bucket) DO UPDATE SET
      runs = quality_drift_buckets.runs + ${runs},
      passed = quality_drift_buckets.passed + ${passed},
      l3_checked = quality_drift_buckets.l3_checked + ${checked},
      l3_flagged = quality_drift_buckets.l3_flagged + ${flagged}`.execute(tx);
}

const flaggedOf = (data: Record<string, unknown>) =>
  (Array.isArray(data.unknown) && data.unknown.length > 0) ||
  (Array.isArray(data.misattributed) && data.misattributed.length > 0);

/**
 * Classifies a skill run when it ends (docs/quality-drift.md): a succeeded run passes unless L3 flagged
 * its accepted answer or the L4 judge failed it; a failed run that got at least one answer fails; a
 * cancelled run, or one a gate refused before any answer, says nothing about the skill's quality and is
 * not a sample. A succeeded run's row is kept, with the bucket it counted in, for a verdict judged later.
 */
async function completeRun(tx: Kysely<unknown>, event: EventEnvelope, runId: string): Promise<void> {
  const { rows } = await sql<{
    skill: string;
    answered: boolean;
    accepted_request: string | null;
    flagged_requests: string[];
    l4_passed: boolean | null;
    completed_bucket: Date | string | null;
  }>`
    SELECT skill, answered, accepted_request, flagged_requests, l4_passed, completed_bucket
    FROM quality_drift_runs WHERE org = ${event.org} AND run_id = ${runId}`.execute(tx);
  const run = rows[0];
  if (!run || run.completed_bucket !== null) return;
  const status = (event.data as { status?: unknown }).status;
  const at = { org: event.org, skill: run.skill, time: event.time };
  if (status === 'succeeded') {
    const flagged = run.accepted_request !== null && run.flagged_requests.includes(run.accepted_request);
    await addToBucket(tx, at, { runs: 1, passed: flagged || run.l4_passed === false ? 0 : 1 });
    await sql`
      UPDATE quality_drift_runs SET completed_bucket = ${bucketOf(event.time)}::timestamptz, l3_clean = ${!flagged}
      WHERE org = ${event.org} AND run_id = ${runId}`.execute(tx);
    return;
  }
  await sql`DELETE FROM quality_drift_runs WHERE org = ${event.org} AND run_id = ${runId}`.execute(tx);
  if (status === 'failed' && run.answered) await addToBucket(tx, at, { runs: 1 });
}

/** An L4 verdict on a skill run: the latest one decides its L4 part; a failed judge says nothing. */
async function judgeRun(tx: Kysely<unknown>, event: EventEnvelope, runId: string): Promise<void> {
  const passed = (event.data as { passed?: unknown }).passed;
  if (typeof passed !== 'boolean') return;
  const { rows } = await sql<{
    skill: string;
    l3_clean: boolean | null;
    l4_passed: boolean | null;
    completed_bucket: Date | string | null;
  }>`
    SELECT skill, l3_clean, l4_passed, completed_bucket FROM quality_drift_runs
    WHERE org = ${event.org} AND run_id = ${runId}`.execute(tx);
  const run = rows[0];
  if (!run || run.l4_passed === passed) return;
  await sql`UPDATE quality_drift_runs SET l4_passed = ${passed}
    WHERE org = ${event.org} AND run_id = ${runId}`.execute(tx);
  if (run.completed_bucket === null || run.l3_clean !== true) return;
  const was = run.l4_passed !== false;
  if (was === passed) return;
  const bucket = new Date(run.completed_bucket).toISOString();
  await addToBucket(tx, { org: event.org, skill: run.skill, time: bucket }, { passed: passed ? 1 : -1 });
}

async function applyOne(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const { org } = event;
  const runId = runOf(event);
  switch (event.type) {
    case 'cp.skill.invoked':
      if (!runId) return;
      await sql`
        INSERT INTO quality_drift_runs (org, run_id, skill) VALUES (${org}, ${runId}, ${text(data, 'skillId')})
        ON CONFLICT (org, run_id) DO NOTHING`.execute(tx);
      return;
    case 'cp.skill.output.rejected':
    case 'cp.skill.output.accepted': {
      if (!runId) return;
      const accepted = event.type === 'cp.skill.output.accepted' ? text(data, 'requestId') : null;
      await sql`
        UPDATE quality_drift_runs SET answered = true, accepted_request = coalesce(${accepted}::text, accepted_request)
        WHERE org = ${org} AND run_id = ${runId}`.execute(tx);
      return;
    }
    case 'cp.quality.l3.checked': {
      // L3 on a governed answer outside a skill (`call/<id>`) belongs to no skill's signal.
      if (!runId) return;
      const flagged = flaggedOf(data);
      const requestId = text(data, 'requestId');
      const { rows } = await sql<{ skill: string }>`
        UPDATE quality_drift_runs SET
          checked_requests = array_append(checked_requests, ${requestId}),
          flagged_requests = CASE WHEN ${flagged}::boolean THEN array_append(flagged_requests, ${requestId})
            ELSE flagged_requests END
        WHERE org = ${org} AND run_id = ${runId} RETURNING skill`.execute(tx);
      const skill = rows[0]?.skill;
      if (skill)
        await addToBucket(tx, { org, skill, time: event.time }, { checked: 1, flagged: flagged ? 1 : 0 });
      return;
    }
    case 'cp.run.completed':
      if (runId) await completeRun(tx, event, runId);
      return;
    case 'cp.quality.l4.judged':
      if (runId) await judgeRun(tx, event, runId);
      return;
    case 'cp.quality.drift.alerted':
      await sql`
        INSERT INTO quality_drift_alerts (org, alert_id, skill, signal, raised_at, baseline, recent, statistic, threshold)
        VALUES (${org}, ${text(data, 'alertId')}, ${text(data, 'skill')}, ${text(data, 'signal')},
          ${isoTime(event.time)}::timestamptz, ${json(data.baseline)}::jsonb, ${json(data.recent)}::jsonb,
          ${Number(data.statistic)}, ${Number(data.threshold)})
        ON CONFLICT (org, alert_id) DO NOTHING`.execute(tx);
      return;
    case 'cp.quality.drift.recovered':
      await sql`
        UPDATE quality_drift_alerts SET recovered_at = ${isoTime(event.time)}::timestamptz,
          recovery = ${json({ recent: data.recent, statistic: data.statistic, threshold: data.threshold })}::jsonb
        WHERE org = ${org} AND alert_id = ${text(data, 'alertId')}`.execute(tx);
      return;
    case 'cp.quality.drift.suppressed':
      await sql`
        UPDATE quality_drift_alerts SET
          suppressed_until = ${typeof data.until === 'string' ? isoTime(data.until) : null}::timestamptz,
          suppressed_until_recovered = ${data.untilRecovered === true},
          suppressed_reason = ${text(data, 'reason')},
          suppressed_by = ${event.actor.id},
          suppressed_at = ${isoTime(event.time)}::timestamptz
        WHERE org = ${org} AND alert_id = ${text(data, 'alertId')}`.execute(tx);
      return;
    default:
      return;
  }
}

/**
 * L5's read model: skill-run outcomes (L3 and L4 in the pass) and L3 verdicts counted per (org, skill, hour), and the drift
 * alerts with their recovery and suppression, folded from `cp.quality.drift.*`.
 */
export const qualityDriftProjection: Projection = {
  name: 'quality-drift',
  version: 2,
  handles: [
    'cp.skill.invoked',
    'cp.skill.output.rejected',
    'cp.skill.output.accepted',
    'cp.quality.l3.checked',
    'cp.run.completed',
    'cp.quality.l4.judged',
    'cp.quality.drift.alerted',
    'cp.quality.drift.recovered',
    'cp.quality.drift.suppressed',
  ],
  tables: QUALITY_DRIFT_TABLES,
  affects: (event) => event.type.startsWith('cp.quality.drift.') || runOf(event) !== null,
  async apply({ tx, events }) {
    for (const { event } of events) await applyOne(tx, event);
  },
};
