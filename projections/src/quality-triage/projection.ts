import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';
import { QUALITY_TRIAGE_TABLES } from './table.js';

const json = (value: unknown) => JSON.stringify(value);
const arrayOf = (value: unknown) => (Array.isArray(value) ? value : []);
const intOrNull = (value: unknown) => (typeof value === 'number' ? value : null);

async function applyOne(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const { org } = event;
  switch (event.type) {
    case 'cp.quality.l3.checked': {
      // A governed answer outside a skill (`call/<id>`) has no run to triage.
      if (!event.subject.startsWith('run/')) return;
      const unknown = arrayOf(data.unknown);
      const misattributed = arrayOf(data.misattributed);
      if (unknown.length === 0 && misattributed.length === 0) return;
      await sql`
        INSERT INTO quality_triage_pending (org, run_id, l3, flagged_at)
        VALUES (${org}, ${event.subject.slice(4)}, ${json({ unknown, misattributed })}::jsonb,
          ${isoTime(event.time)}::timestamptz)
        ON CONFLICT (org, run_id) DO UPDATE SET l3 = excluded.l3`.execute(tx);
      return;
    }
    case 'cp.quality.l4.judged': {
      const month = event.time.slice(0, 7);
      const cost = Number(data.costMicros ?? 0);
      await sql`
        INSERT INTO quality_judge_spend (org, month, spent_micros, verdicts) VALUES (${org}, ${month}, ${cost}, 1)
        ON CONFLICT (org, month) DO UPDATE SET spent_micros = quality_judge_spend.spent_micros + ${cost},
          verdicts = quality_judge_spend.verdicts + 1`.execute(tx);
      return;
    }
    case 'cp.quality.triage.opened': {
      const runId = text(data, 'runId');
      await sql`
        INSERT INTO quality_triage_items (org, item_id, run_id, skill, status, reasons, output, l3, judge_id,
          score, disagreement, unsupported_claims, opened_at)
        VALUES (${org}, ${text(data, 'itemId')}, ${runId}, ${text(data, 'skill')}, 'open',
          ${arrayOf(data.reasons) as string[]}::text[], ${optionalText(data, 'output')},
          ${data.l3 ? json(data.l3) : null}::jsonb, ${optionalText(data, 'judgeId')}, ${intOrNull(data.score)},
          ${intOrNull(data.disagreement)}, ${json(arrayOf(data.unsupportedClaims))}::jsonb,
          ${isoTime(event.time)}::timestamptz)
        ON CONFLICT (org, item_id) DO NOTHING`.execute(tx);
      await sql`DELETE FROM quality_triage_pending WHERE org = ${org} AND run_id = ${runId}`.execute(tx);
      return;
    }
    case 'cp.quality.triage.assigned':
      await sql`
        UPDATE quality_triage_items SET status = 'assigned', assignee = ${text(data, 'assignee')},
          assigned_at = ${isoTime(event.time)}::timestamptz
        WHERE org = ${org} AND item_id = ${text(data, 'itemId')}`.execute(tx);
      return;
    case 'cp.quality.triage.resolved':
      await sql`
        UPDATE quality_triage_items SET status = 'resolved', resolution = ${text(data, 'resolution')},
          note = ${text(data, 'note')}, resolved_by = ${event.actor.id},
          resolved_at = ${isoTime(event.time)}::timestamptz
        WHERE org = ${org} AND item_id = ${text(data, 'itemId')}`.execute(tx);
      return;
    default:
      return;
  }
}

/**
 * The triage queue (docs/quality.md): items opened, assigned and resolved, the L3-flagged runs awaiting
 * an item, and what the judge spent per org and month.
 */
export const qualityTriageProjection: Projection = {
  name: 'quality-triage',
  version: 1,
  handles: [
    'cp.quality.l3.checked',
    'cp.quality.l4.judged',
    'cp.quality.triage.opened',
    'cp.quality.triage.assigned',
    'cp.quality.triage.resolved',
  ],
  tables: QUALITY_TRIAGE_TABLES,
  async apply({ tx, events }) {
    for (const { event } of events) await applyOne(tx, event);
  },
};
