import type { EventData } from '@proofpane/core';

export type GeneStatus = 'proposed' | 'approved' | 'rejected' | 'deprecated';
export type ReplayResult = Omit<EventData<'cp.evolution.gene.replayed'>, 'geneId' | 'skill'>;

export interface GeneState {
  geneId: string;
  text: string;
  rationale: string;
  origin: EventData<'cp.evolution.gene.proposed'>['origin'];
  proposedBy: string | null;
  motivatingEventIds: string[];
  status: GeneStatus;
  replay: ReplayResult | null;
}

export interface CapsuleState {
  capsuleId: string;
  text: string;
  genes: string[];
}

/** A skill's evolution as its events leave it. */
export interface EvolutionState {
  genes: ReadonlyMap<string, GeneState>;
  /** Approved genes, in approval order: the next capsule's composition. */
  approved: readonly string[];
  capsules: ReadonlyMap<string, CapsuleState>;
  latestCapsuleId: string | null;
  activeCapsuleId: string | null;
}

export const initialEvolutionState = (): EvolutionState => ({
  genes: new Map(),
  approved: [],
  capsules: new Map(),
  latestCapsuleId: null,
  activeCapsuleId: null,
});

/** Genes waiting for a person: what `maxOpenProposals` bounds. */
export const openProposals = (state: EvolutionState): GeneState[] =>
  [...state.genes.values()].filter((g) => g.status === 'proposed');
