import type { NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../runner/rebuild.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import {
  capsuleActivations,
  capsuleById,
  capsuleRuns,
  geneById,
  lastCapsuleRuns,
  listCapsules,
  listGenes,
} from './queries.js';
import { EVOLUTION_TABLES } from './table.js';

const skill = 'risk.eu_ai_act_tier';
const subject = `evolution/${skill}`;
const person = { kind: 'user' as const, id: 'usr_bob' };
const base = 'a'.repeat(64);
const withA = 'b'.repeat(64);
const rows = async (db: Kysely<unknown>) =>
  Object.fromEntries(
    await Promise.all(
      EVOLUTION_TABLES.map(async (t) => [
        t,
        (await sql`SELECT * FROM ${sql.table(t)} t ORDER BY t::text`.execute(db)).rows,
      ]),
    ),
  );
const on = (type: string, data: Record<string, unknown>, s = subject): NewEvent => ({
  type,
  subject: s,
  actor: person,
  data,
});
const proposed = (geneId: string, text: string) =>
  on('cp.evolution.gene.proposed', {
    geneId,
    skill,
    text,
    rationale: 'seen',
    motivatingEventIds: ['evt_1'],
    origin: 'dream',
    proposedBy: null,
  });
const skillRun = (runId: string, capsuleId: string | null): NewEvent[] => [
  on(
    'cp.skill.invoked',
    {
      skillId: skill,
      skillVersion: '1.0.0',
      capsuleId,
      inputSha256: 'c'.repeat(64),
      provider: 'demo',
      model: 'demo',
    },
    `run/${runId}`,
  ),
  on('cp.run.completed', { status: 'succeeded' }, `run/${runId}`),
];

for (const driver of testDrivers) {
  describe(`the evolution read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('lists genes, capsules, activations and the runs each capsule answered, per org, and rebuilds identically', async () => {
      const [org, other] = [newOrg(), newOrg()];
      await h.given(org, [
        proposed('gene_a', 'Cite articles.'),
        proposed('gene_b', 'Be brief.'),
        on('cp.evolution.gene.replayed', {
          geneId: 'gene_a',
          skill,
          candidateCapsuleId: withA,
          activeCapsuleId: null,
          judge: 'schema+eval-cases',
          inputs: 'eval-cases',
          wins: 1,
          losses: 0,
          ties: 1,
          costMicros: 12,
          cases: [],
        }),
        on('cp.evolution.gene.approved', { geneId: 'gene_a', skill, by: 'usr_bob', capsuleId: withA }),
        on('cp.evolution.capsule.created', {
          capsuleId: base,
          skill,
          text: 'Base.',
          genes: [],
          previousCapsuleId: null,
        }),
        on('cp.evolution.capsule.created', {
          capsuleId: withA,
          skill,
          text: 'Base.\n- Cite articles.',
          genes: ['gene_a'],
          previousCapsuleId: base,
        }),
        on('cp.evolution.gene.rejected', { geneId: 'gene_b', skill, by: 'usr_bob', reason: 'vague' }),
        ...skillRun('r0', null),
        on('cp.evolution.capsule.activated', {
          capsuleId: withA,
          skill,
          previousCapsuleId: null,
          by: 'usr_bob',
        }),
        ...skillRun('r1', withA),
        ...skillRun('r2', withA),
      ]);
      h.clock.now = new Date('2026-03-16T12:00:00.000Z');
      await h.given(org, [
        on('cp.evolution.capsule.activated', {
          capsuleId: base,
          skill,
          previousCapsuleId: withA,
          by: 'usr_bob',
        }),
        ...skillRun('r3', base),
      ]);
      await h.given(other, [proposed('gene_z', 'Elsewhere.')]);

      expect((await listGenes(h.db, { org, limit: 10 })).map((g) => [g.geneId, g.status])).toEqual([
        ['gene_b', 'rejected'],
        ['gene_a', 'approved'],
      ]);
      expect(await listGenes(h.db, { org, status: 'approved', limit: 10 })).toHaveLength(1);
      expect(await geneById(h.db, { org, geneId: 'gene_a' })).toMatchObject({
        capsuleId: withA,
        decidedBy: 'usr_bob',
        replay: { wins: 1, ties: 1, costMicros: 12 },
      });
      expect(await geneById(h.db, { org, geneId: 'gene_z' })).toBeUndefined();
      const capsules = await listCapsules(h.db, { org, skill, limit: 10 });
      expect(capsules.map((c) => [c.capsuleId, c.active, c.runs])).toEqual([
        [withA, false, 2],
        [base, true, 1],
      ]);
      expect(await capsuleById(h.db, { org, capsuleId: withA })).toMatchObject({
        genes: ['gene_a'],
        previousCapsuleId: base,
        text: 'Base.\n- Cite articles.',
      });
      expect(await capsuleById(h.db, { org: other, capsuleId: withA })).toBeUndefined();
      expect(
        (await capsuleRuns(h.db, { org, capsuleId: withA, limit: 10 })).map((r) => [r.runId, r.status]),
      ).toEqual([
        ['r2', 'succeeded'],
        ['r1', 'succeeded'],
      ]);
      expect((await capsuleActivations(h.db, { org, skill, limit: 10 })).map((a) => a.capsuleId)).toEqual([
        base,
        withA,
      ]);
      expect((await lastCapsuleRuns(h.db, { org, skill })).get(base)).toBe('2026-03-16T12:00:00.000Z');

      const live = await rows(h.db);
      await rebuildProjections({ database: h.test.database, names: ['evolution'], batchSize: 4 });
      expect(await rows(h.db)).toEqual(live);
    });
  });
}
