import type { Decider } from '../kit/decider.js';
import { capsuleIdOf, composeCapsule } from './capsule-text.js';
import { EvolutionError } from './errors.js';
import type { EvolutionFact } from './facts.js';
import {
  type EvolutionState,
  type GeneState,
  initialEvolutionState,
  openProposals,
  type ReplayResult,
} from './state.js';

export type EvolutionCommand =
  | {
      type: 'propose';
      geneId: string;
      skill: string;
      text: string;
      rationale: string;
      motivatingEventIds: string[];
      evidenceRunIds?: string[];
      origin: 'dream' | 'parallel-universe' | 'person';
      /** The person accountable; null for a dream. */
      proposedBy: string | null;
      maxOpenProposals: number;
    }
  | { type: 'record-replay'; geneId: string; skill: string; result: ReplayResult }
  | { type: 'approve'; geneId: string; skill: string; by: string; basePrompt: string }
  | { type: 'reject'; geneId: string; skill: string; by: string; reason?: string | undefined }
  | {
      type: 'deprecate';
      geneId: string;
      skill: string;
      basePrompt: string;
      rule: 'person' | 'stale_after_days';
      by: string | null;
      staleAfterDays?: number;
      lastUsedAt?: string;
    }
  | { type: 'activate'; capsuleId: string; skill: string; by: string };

const gene = (state: EvolutionState, geneId: string): GeneState => {
  const found = state.genes.get(geneId);
  if (!found) throw new EvolutionError('evolution_gene_not_found', `no gene ${geneId} for this skill`);
  return found;
};

const expectStatus = (g: GeneState, status: GeneState['status'], move: string) => {
  if (g.status !== status)
    throw new EvolutionError('evolution_gene_lifecycle', `a ${g.status} gene cannot be ${move}`);
};

/**
 * The capsules a new composition needs: the base capsule first when the skill has none (so a rollback
 * to the base prompt is an activation like any other), then the composition unless its text is known.
 */
function compose(
  state: EvolutionState,
  skill: string,
  basePrompt: string,
  approved: readonly string[],
): { capsuleId: string; facts: EvolutionFact[] } {
  const facts: EvolutionFact[] = [];
  const known = new Set(state.capsules.keys());
  let latest = state.latestCapsuleId;
  const create = (genes: readonly string[]) => {
    const text = composeCapsule({ basePrompt, genes: genes.map((id) => state.genes.get(id)!.text) });
    const capsuleId = capsuleIdOf(text);
    if (!known.has(capsuleId)) {
      facts.push({
        type: 'cp.evolution.capsule.created',
        data: { capsuleId, skill, text, genes: [...genes], previousCapsuleId: latest },
      });
      known.add(capsuleId);
      latest = capsuleId;
    }
    return capsuleId;
  };
  if (state.capsules.size === 0) create([]);
  return { capsuleId: create(approved), facts };
}

/**
 * One skill's genes and capsules (docs/evolution.md). A gene is proposed, then approved or rejected, and
 * an approved one may be deprecated; approving and deprecating compose the next capsule, which a separate
 * activation puts in force. One subject per skill, so one capsule is active whatever races.
 */
export const evolutionDecider: Decider<EvolutionCommand, EvolutionState, EvolutionFact> = {
  initialState: initialEvolutionState,
  understands: (type) => type.startsWith('cp.evolution.gene.') || type.startsWith('cp.evolution.capsule.'),
  evolve(state, fact) {
    const withGene = (geneId: string, change: Partial<GeneState>) => {
      const g = state.genes.get(geneId);
      return g ? new Map(state.genes).set(geneId, { ...g, ...change }) : state.genes;
    };
    switch (fact.type) {
      case 'cp.evolution.gene.proposed': {
        const d = fact.data;
        return {
          ...state,
          genes: new Map(state.genes).set(d.geneId, {
            geneId: d.geneId,
            text: d.text,
            rationale: d.rationale,
            origin: d.origin,
            proposedBy: d.proposedBy,
            motivatingEventIds: d.motivatingEventIds,
            status: 'proposed',
            replay: null,
          }),
        };
      }
      case 'cp.evolution.gene.replayed': {
        const { geneId, skill: _skill, ...replay } = fact.data;
        return { ...state, genes: withGene(geneId, { replay }) };
      }
      case 'cp.evolution.gene.approved':
        return {
          ...state,
          genes: withGene(fact.data.geneId, { status: 'approved' }),
          approved: [...state.approved, fact.data.geneId],
        };
      case 'cp.evolution.gene.rejected':
        return { ...state, genes: withGene(fact.data.geneId, { status: 'rejected' }) };
      case 'cp.evolution.gene.deprecated':
        return {
          ...state,
          genes: withGene(fact.data.geneId, { status: 'deprecated' }),
          approved: state.approved.filter((id) => id !== fact.data.geneId),
        };
      case 'cp.evolution.capsule.created': {
        const { capsuleId, text, genes } = fact.data;
        return {
          ...state,
          capsules: new Map(state.capsules).set(capsuleId, { capsuleId, text, genes }),
          latestCapsuleId: capsuleId,
        };
      }
      case 'cp.evolution.capsule.activated':
        return { ...state, activeCapsuleId: fact.data.capsuleId };
      default: {
        const unreachable: never = fact;
        return unreachable;
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'propose': {
        if (state.genes.has(command.geneId))
          throw new EvolutionError('evolution_gene_lifecycle', `gene ${command.geneId} exists already`);
        const text = command.text.trim();
        const live = [...state.genes.values()].filter(
          (g) => g.status === 'proposed' || g.status === 'approved',
        );
        if (live.some((g) => g.text === text))
          throw new EvolutionError(
            'evolution_gene_duplicate',
            'this skill already has an open or approved gene with this text',
          );
        if (openProposals(state).length >= command.maxOpenProposals)
          throw new EvolutionError(
            'evolution_open_proposals_limit',
            `this skill has ${command.maxOpenProposals} open proposals, the most the org allows; approve or reject one first`,
          );
        return [
          {
            type: 'cp.evolution.gene.proposed',
            data: {
              geneId: command.geneId,
              skill: command.skill,
              text,
              rationale: command.rationale.trim(),
              motivatingEventIds: command.motivatingEventIds,
              ...(command.evidenceRunIds && command.evidenceRunIds.length > 0
                ? { evidenceRunIds: command.evidenceRunIds }
                : {}),
              origin: command.origin,
              proposedBy: command.proposedBy,
            },
          },
        ];
      }
      case 'record-replay': {
        expectStatus(gene(state, command.geneId), 'proposed', 'replayed');
        return [
          {
            type: 'cp.evolution.gene.replayed',
            data: { geneId: command.geneId, skill: command.skill, ...command.result },
          },
        ];
      }
      case 'approve': {
        const g = gene(state, command.geneId);
        expectStatus(g, 'proposed', 'approved');
        if (g.proposedBy === command.by)
          throw new EvolutionError(
            'evolution_four_eyes',
            'you proposed this gene; another admin or owner must approve it',
          );
        const next = compose(state, command.skill, command.basePrompt, [...state.approved, g.geneId]);
        return [
          {
            type: 'cp.evolution.gene.approved',
            data: { geneId: g.geneId, skill: command.skill, by: command.by, capsuleId: next.capsuleId },
          },
          ...next.facts,
        ];
      }
      case 'reject': {
        const g = gene(state, command.geneId);
        expectStatus(g, 'proposed', 'rejected');
        return [
          {
            type: 'cp.evolution.gene.rejected',
            data: {
              geneId: g.geneId,
              skill: command.skill,
              by: command.by,
              ...(command.reason ? { reason: command.reason } : {}),
            },
          },
        ];
      }
      case 'deprecate': {
        const g = gene(state, command.geneId);
        expectStatus(g, 'approved', 'deprecated');
        const next = compose(
          state,
          command.skill,
          command.basePrompt,
          state.approved.filter((id) => id !== g.geneId),
        );
        return [
          {
            type: 'cp.evolution.gene.deprecated',
            data: {
              geneId: g.geneId,
              skill: command.skill,
              rule: command.rule,
              by: command.by,
              ...(command.staleAfterDays !== undefined ? { staleAfterDays: command.staleAfterDays } : {}),
              ...(command.lastUsedAt !== undefined ? { lastUsedAt: command.lastUsedAt } : {}),
              capsuleId: next.capsuleId,
            },
          },
          ...next.facts,
        ];
      }
      case 'activate': {
        if (!state.capsules.has(command.capsuleId))
          throw new EvolutionError(
            'evolution_capsule_not_found',
            `no capsule ${command.capsuleId} for this skill`,
          );
        if (state.activeCapsuleId === command.capsuleId)
          throw new EvolutionError('evolution_capsule_active', 'this capsule is already the active one');
        return [
          {
            type: 'cp.evolution.capsule.activated',
            data: {
              capsuleId: command.capsuleId,
              skill: command.skill,
              previousCapsuleId: state.activeCapsuleId,
              by: command.by,
            },
          },
        ];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
