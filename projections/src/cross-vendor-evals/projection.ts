import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { count, isoTime, optionalText, text } from '../runner/fields.js';
import { type Projection, ProjectionError } from '../runner/projection.js';

const HANDLES = [
  'cp.cross_vendor.suite.created',
  'cp.cross_vendor.run.started',
  'cp.cross_vendor.answer.recorded',
  'cp.cross_vendor.pair.compared',
  'cp.run.completed',
] as const;

const json = (value: unknown) => JSON.stringify(value ?? null);
const index = (data: Record<string, unknown>, field: string) => count(data, field);

async function apply(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const { org } = event;
  switch (event.type) {
    case 'cp.cross_vendor.suite.created': {
      const cases = data.cases;
      if (!Array.isArray(cases)) throw new ProjectionError('data.cases is not a list');
      await sql`
        INSERT INTO cross_vendor_suites (org, suite_id, name, case_count, providers, judge, schedule, definition, created_at)
        VALUES (${org}, ${text(data, 'suiteId')}, ${text(data, 'name')}, ${cases.length}, ${json(data.providers)}::jsonb,
          ${json(data.judge)}::jsonb, ${optionalText(data, 'schedule')}, ${json(data)}::jsonb, ${isoTime(event.time)})
        ON CONFLICT (org, suite_id) DO NOTHING`.execute(tx);
      return;
    }
    case 'cp.cross_vendor.run.started': {
      const trigger = (data.trigger ?? {}) as Record<string, unknown>;
      await sql`
        INSERT INTO cross_vendor_runs (org, run_id, suite_id, name, trigger_kind, status, providers, judge, case_count, started_at)
        VALUES (${org}, ${event.subject.slice(4)}, ${text(data, 'suiteId')}, ${text(data, 'name')}, ${text(trigger, 'kind')},
          'running', ${json(data.providers)}::jsonb, ${json(data.judge)}::jsonb, ${count(data, 'cases')}, ${isoTime(event.time)})
        ON CONFLICT (org, run_id) DO NOTHING`.execute(tx);
      return;
    }
    case 'cp.cross_vendor.answer.recorded':
      await sql`
        INSERT INTO cross_vendor_answers (org, run_id, case_index, provider_index, status, error, valid, problems, answer,
          fields, cost_micros, latency_ms, skill_run_id)
        VALUES (${org}, ${text(data, 'suiteRunId')}, ${index(data, 'caseIndex')}, ${index(data, 'providerIndex')},
          ${text(data, 'status')}, ${optionalText(data, 'error')}, ${data.valid === true}, ${json(data.problems)}::jsonb,
          ${optionalText(data, 'answer')}, ${json(data.fields)}::jsonb, ${count(data, 'costMicros')},
          ${count(data, 'latencyMs')}, ${optionalText(data, 'skillRunId')})
        ON CONFLICT DO NOTHING`.execute(tx);
      return;
    case 'cp.cross_vendor.pair.compared':
      await sql`
        INSERT INTO cross_vendor_pairs (org, run_id, case_index, a, b, severity, reason, diffs, judge)
        VALUES (${org}, ${text(data, 'suiteRunId')}, ${index(data, 'caseIndex')}, ${index(data, 'a')}, ${index(data, 'b')},
          ${text(data, 'severity')}, ${text(data, 'reason')}, ${json(data.diffs)}::jsonb, ${json(data.judge)}::jsonb)
        ON CONFLICT DO NOTHING`.execute(tx);
      return;
    case 'cp.run.completed':
      // Every run's end passes here; only a suite run has a row to update.
      await sql`
        UPDATE cross_vendor_runs SET status = ${text(data, 'status')}, error = ${optionalText(data, 'error')},
          ended_at = ${isoTime(event.time)}
        WHERE org = ${org} AND run_id = ${event.subject.slice(4)}`.execute(tx);
      return;
  }
}

/**
 * Cross-vendor suites and runs, and each run's matrix of answers and pairs, straight from the events; a
 * suite run's end (its `cp.run.completed`) sets its status.
 */
export const crossVendorEvalsProjection: Projection = {
  name: 'cross-vendor-evals',
  version: 1,
  handles: HANDLES,
  tables: ['cross_vendor_suites', 'cross_vendor_runs', 'cross_vendor_answers', 'cross_vendor_pairs'],
  // A case's, provider's or judge's end (`run/<id>.c1…`) never has a row of its own.
  affects: (event) => event.type !== 'cp.run.completed' || !/\.c\d+(\.|$)/.test(event.subject),
  async apply({ tx, events }) {
    for (const { event } of events) await apply(tx, event);
  },
};
