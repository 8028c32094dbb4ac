import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';

const caseIdOf = (event: EventEnvelope) =>
  event.subject.startsWith('usecase/') ? event.subject.slice('usecase/'.length) : null;
const runOf = (event: EventEnvelope) => (event.subject.startsWith('run/') ? event.subject.slice(4) : null);
const linksCase = (event: EventEnvelope) =>
  event.type === 'cp.run.started' && typeof (event.data as { useCaseId?: unknown }).useCaseId === 'string';

/** The list's columns an edit may change, by intake field. */
const COLUMNS: Record<string, string> = {
  name: 'name',
  ownerId: 'owner_id',
  businessUnit: 'business_unit',
  riskTier: 'risk_tier',
  annexIIIArea: 'annex_iii_area',
};

async function applyOne(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const time = isoTime(event.time);
  const { org } = event;
  if (linksCase(event)) {
    const runId = runOf(event);
    if (!runId) return;
    const useCaseId = text(data, 'useCaseId');
    // A run is counted once, even if its start were applied twice.
    await sql`
      WITH linked AS (
        INSERT INTO use_case_runs (org, use_case_id, run_id, started_at)
        VALUES (${org}, ${useCaseId}, ${runId}, ${time}::timestamptz)
        ON CONFLICT (org, run_id) DO NOTHING RETURNING use_case_id)
      UPDATE use_cases SET runs = runs + 1
      WHERE org = ${org} AND use_case_id IN (SELECT use_case_id FROM linked)`.execute(tx);
    return;
  }
  const useCaseId = caseIdOf(event);
  if (!useCaseId) return;
  switch (event.type) {
    case 'cp.usecase.registered':
      await sql`
        INSERT INTO use_cases (org, use_case_id, status, name, owner_id, business_unit, risk_tier, annex_iii_area,
          runs, created_at, updated_at)
        VALUES (${org}, ${useCaseId}, 'draft', ${text(data, 'name')}, ${text(data, 'ownerId')},
          ${text(data, 'businessUnit')}, ${optionalText(data, 'riskTier')}, ${optionalText(data, 'annexIIIArea')},
          (SELECT count(*)::int FROM use_case_runs WHERE org = ${org} AND use_case_id = ${useCaseId}),
          ${time}::timestamptz, ${time}::timestamptz)
        ON CONFLICT (org, use_case_id) DO NOTHING`.execute(tx);
      return;
    case 'cp.usecase.updated': {
      const values = (data.values ?? {}) as Record<string, unknown>;
      const sets = Object.entries(COLUMNS)
        .filter(([field]) => Object.hasOwn(values, field))
        .map(([field, column]) => sql`${sql.ref(column)} = ${optionalText(values, field)}`);
      await sql`
        UPDATE use_cases SET ${sql.join([...sets, sql`updated_at = ${time}::timestamptz`])}
        WHERE org = ${org} AND use_case_id = ${useCaseId}`.execute(tx);
      return;
    }
    case 'cp.usecase.transitioned':
      await sql`
        UPDATE use_cases SET status = ${text(data, 'to')}, updated_at = ${time}::timestamptz
        WHERE org = ${org} AND use_case_id = ${useCaseId}`.execute(tx);
      return;
    case 'cp.usecase.tier_confirmed':
      await sql`
        UPDATE use_cases SET risk_tier = ${text(data, 'tier')}, annex_iii_area = ${optionalText(data, 'annexIIIArea')},
          updated_at = ${time}::timestamptz
        WHERE org = ${org} AND use_case_id = ${useCaseId}`.execute(tx);
      return;
    case 'cp.usecase.tier_suggested':
      await sql`
        UPDATE use_cases SET updated_at = ${time}::timestamptz
        WHERE org = ${org} AND use_case_id = ${useCaseId}`.execute(tx);
      return;
    default:
      return;
  }
}

/**
 * The use-case register (status, tier, owner for the list and its filters) and the runs that named a
 * case: folded from `cp.usecase.*` and from `cp.run.started` with `useCaseId`.
 */
export const useCasesProjection: Projection = {
  name: 'use-cases',
  version: 1,
  handles: [
    'cp.usecase.registered',
    'cp.usecase.updated',
    'cp.usecase.transitioned',
    'cp.usecase.tier_suggested',
    'cp.usecase.tier_confirmed',
    'cp.run.started',
  ],
  tables: ['use_cases', 'use_case_runs'],
  affects: (event) => caseIdOf(event) !== null || linksCase(event),
  async apply({ tx, events }) {
    for (const { event } of events) await applyOne(tx, event);
  },
};
