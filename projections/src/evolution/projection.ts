import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';
import { EVOLUTION_TABLES } from './table.js';

const json = (value: unknown) => JSON.stringify(value);
const runOf = (event: EventEnvelope) => (event.subject.startsWith('run/') ? event.subject.slice(4) : null);

async function applyOne(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const { org } = event;
  const at = isoTime(event.time);
  switch (event.type) {
    case 'cp.llm.call.completed': {
      if (data.route !== 'evolution') return;
      // Dreams and replays call on the `evolution` route: their spend is the evolution budget line's.
      const cost = Number(data.costMicros ?? 0);
      await sql`
        INSERT INTO evolution_spend (org, month, spent_micros, calls)
        VALUES (${org}, ${at.slice(0, 7)}, ${cost}, 1)
        ON CONFLICT (org, month) DO UPDATE SET spent_micros = evolution_spend.spent_micros + ${cost},
          calls = evolution_spend.calls + 1`.execute(tx);
      return;
    }
    case 'cp.evolution.gene.proposed':
      await sql`
        INSERT INTO evolution_genes (org, gene_id, skill, text, rationale, origin, proposed_by,
          motivating_event_ids, evidence_run_ids, status, proposed_at, proposed_seq)
        VALUES (${org}, ${text(data, 'geneId')}, ${text(data, 'skill')}, ${text(data, 'text')},
          ${text(data, 'rationale')}, ${text(data, 'origin')}, ${optionalText(data, 'proposedBy')},
          ${json(data.motivatingEventIds ?? [])}::jsonb, ${json(data.evidenceRunIds ?? [])}::jsonb, 'proposed', ${at}::timestamptz, ${event.seq})
        ON CONFLICT (org, gene_id) DO NOTHING`.execute(tx);
      return;
    case 'cp.evolution.gene.replayed': {
      const { geneId: _g, skill: _s, ...replay } = data;
      await sql`
        UPDATE evolution_genes SET replay = ${json({ ...replay, at })}::jsonb
        WHERE org = ${org} AND gene_id = ${text(data, 'geneId')}`.execute(tx);
      return;
    }
    case 'cp.evolution.gene.approved':
      await sql`
        UPDATE evolution_genes SET status = 'approved', decided_by = ${text(data, 'by')},
          decided_at = ${at}::timestamptz, capsule_id = ${text(data, 'capsuleId')}
        WHERE org = ${org} AND gene_id = ${text(data, 'geneId')}`.execute(tx);
      return;
    case 'cp.evolution.gene.rejected':
      await sql`
        UPDATE evolution_genes SET status = 'rejected', decided_by = ${text(data, 'by')},
          decided_at = ${at}::timestamptz, reject_reason = ${optionalText(data, 'reason')}
        WHERE org = ${org} AND gene_id = ${text(data, 'geneId')}`.execute(tx);
      return;
    case 'cp.evolution.gene.deprecated':
      await sql`
        UPDATE evolution_genes SET status = 'deprecated', deprecated_rule = ${text(data, 'rule')},
          deprecated_at = ${at}::timestamptz
        WHERE org = ${org} AND gene_id = ${text(data, 'geneId')}`.execute(tx);
      return;
    case 'cp.evolution.capsule.created':
      await sql`
        INSERT INTO evolution_capsules (org, skill, capsule_id, text, genes, previous_capsule_id, created_at, created_seq)
        VALUES (${org}, ${text(data, 'skill')}, ${text(data, 'capsuleId')}, ${text(data, 'text')},
          ${json(data.genes ?? [])}::jsonb, ${optionalText(data, 'previousCapsuleId')}, ${at}::timestamptz, ${event.seq})
        ON CONFLICT (org, skill, capsule_id) DO NOTHING`.execute(tx);
      return;
    case 'cp.evolution.capsule.activated': {
      const skill = text(data, 'skill');
      const capsuleId = text(data, 'capsuleId');
      await sql`
        INSERT INTO evolution_activations (org, seq, skill, capsule_id, previous_capsule_id, activated_by, activated_at)
        VALUES (${org}, ${event.seq}, ${skill}, ${capsuleId}, ${optionalText(data, 'previousCapsuleId')},
          ${text(data, 'by')}, ${at}::timestamptz)
        ON CONFLICT (org, seq) DO NOTHING`.execute(tx);
      await sql`
        UPDATE evolution_capsules SET active = (capsule_id = ${capsuleId}),
          activated_at = CASE WHEN capsule_id = ${capsuleId} THEN ${at}::timestamptz ELSE activated_at END,
          activated_by = CASE WHEN capsule_id = ${capsuleId} THEN ${text(data, 'by')} ELSE activated_by END
        WHERE org = ${org} AND skill = ${skill}`.execute(tx);
      return;
    }
    case 'cp.skill.invoked': {
      const runId = runOf(event);
      const capsuleId = optionalText(data, 'capsuleId');
      if (!runId || !capsuleId) return;
      await sql`
        INSERT INTO evolution_capsule_runs (org, run_id, skill, capsule_id, started_at)
        VALUES (${org}, ${runId}, ${text(data, 'skillId')}, ${capsuleId}, ${at}::timestamptz)
        ON CONFLICT (org, run_id) DO NOTHING`.execute(tx);
      return;
    }
    case 'cp.run.completed': {
      const runId = runOf(event);
      if (!runId) return;
      await sql`
        UPDATE evolution_capsule_runs SET status = ${text(data, 'status')}
        WHERE org = ${org} AND run_id = ${runId}`.execute(tx);
      return;
    }
    default:
      return;
  }
}

/**
 * Self-evolution's read model (docs/evolution.md): genes with their status and latest replay, capsules
 * with the active one per skill, every activation, and which capsule answered which skill run.
 */
export const evolutionProjection: Projection = {
  name: 'evolution',
  // 2: the evolution budget line (`evolution_spend`) is built from the log's `evolution` route calls.
  version: 2,
  handles: [
    'cp.evolution.gene.proposed',
    'cp.evolution.gene.replayed',
    'cp.evolution.gene.approved',
    'cp.evolution.gene.rejected',
    'cp.evolution.gene.deprecated',
    'cp.evolution.capsule.created',
    'cp.evolution.capsule.activated',
    'cp.skill.invoked',
    'cp.run.completed',
    'cp.llm.call.completed',
  ],
  tables: EVOLUTION_TABLES,
  affects: (event) =>
    event.type.startsWith('cp.evolution.') ||
    (event.type === 'cp.skill.invoked' && (event.data as { capsuleId?: unknown }).capsuleId != null) ||
    (event.type === 'cp.run.completed' && runOf(event) !== null) ||
    (event.type === 'cp.llm.call.completed' && (event.data as { route?: unknown }).route === 'evolution'),
  async apply({ tx, events }) {
    for (const { event } of events) await applyOne(tx, event);
  },
};
