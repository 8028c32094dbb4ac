import type { NewEvent } from '@proofpane/core';

const person = { kind: 'user' as const, id: 'usr_bob' };

/** A skill run answered by a capsule (or by the base prompt when null), invoked and completed. */
export const capsuleRun = (options: {
  runId: string;
  skill: string;
  capsuleId: string | null;
}): NewEvent[] => [
  {
    type: 'cp.skill.invoked',
    subject: `run/${options.runId}`,
    actor: person,
    data: {
      skillId: options.skill,
      skillVersion: '1.0.0',
      capsuleId: options.capsuleId,
      inputSha256: 'c'.repeat(64),
      provider: 'demo',
      model: 'demo',
    },
  },
  { type: 'cp.run.completed', subject: `run/${options.runId}`, actor: person, data: { status: 'succeeded' } },
];

/**
 * One skill's evolution: a gene proposed, replayed and approved into a capsule after the base one, a
 * second gene rejected, the capsule activated and answering a run, then a rollback to the base.
 */
export function evolutionLife(options: { skill: string; prefix: string }): NewEvent[] {
  const { skill, prefix } = options;
  const subject = `evolution/${skill}`;
  const on = (type: string, data: Record<string, unknown>): NewEvent => ({
    type,
    subject,
    actor: person,
    data,
  });
  const base = 'a'.repeat(64);
  const withA = 'b'.repeat(64);
  const gene = (geneId: string, text: string) =>
    on('cp.evolution.gene.proposed', {
      geneId,
      skill,
      text,
      rationale: 'seen',
      motivatingEventIds: ['evt_1'],
      origin: 'dream',
      proposedBy: null,
    });
  return [
    gene(`${prefix}_a`, 'Cite articles.'),
    gene(`${prefix}_b`, 'Be brief.'),
    on('cp.evolution.gene.replayed', {
      geneId: `${prefix}_a`,
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
    on('cp.evolution.gene.approved', { geneId: `${prefix}_a`, skill, by: 'usr_bob', capsuleId: withA }),
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
      genes: [`${prefix}_a`],
      previousCapsuleId: base,
    }),
    on('cp.evolution.gene.rejected', { geneId: `${prefix}_b`, skill, by: 'usr_bob', reason: 'vague' }),
    ...capsuleRun({ runId: `${prefix}_r0`, skill, capsuleId: null }),
    on('cp.evolution.capsule.activated', { capsuleId: withA, skill, previousCapsuleId: null, by: 'usr_bob' }),
    ...capsuleRun({ runId: `${prefix}_r1`, skill, capsuleId: withA }),
    ...capsuleRun({ runId: `${prefix}_r2`, skill, capsuleId: withA }),
    on('cp.evolution.capsule.activated', { capsuleId: base, skill, previousCapsuleId: withA, by: 'usr_bob' }),
    ...capsuleRun({ runId: `${prefix}_r3`, skill, capsuleId: base }),
  ];
}
