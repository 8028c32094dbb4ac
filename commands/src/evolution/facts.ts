import type { Fact } from '../kit/fact.js';

/** The events of one skill's evolution, all on `evolution/<skill>`. */
export type EvolutionFact = Fact<
  | 'cp.evolution.gene.proposed'
  | 'cp.evolution.gene.replayed'
  | 'cp.evolution.gene.approved'
  | 'cp.evolution.gene.rejected'
  | 'cp.evolution.gene.deprecated'
  | 'cp.evolution.capsule.created'
  | 'cp.evolution.capsule.activated'
>;

export const EVOLUTION_FACT_TYPES: readonly EvolutionFact['type'][] = [
  'cp.evolution.gene.proposed',
  'cp.evolution.gene.replayed',
  'cp.evolution.gene.approved',
  'cp.evolution.gene.rejected',
  'cp.evolution.gene.deprecated',
  'cp.evolution.capsule.created',
  'cp.evolution.capsule.activated',
];

/** One subject per (org, skill): one expected version orders all of a skill's genes and capsules. */
export const evolutionSubject = (skill: string) => `evolution/${skill}`;
