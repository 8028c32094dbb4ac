import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { capsuleIdOf, composeCapsule } from './capsule-text.js';
import { type EvolutionCommand, evolutionDecider } from './decide.js';
import { EvolutionError } from './errors.js';
import type { EvolutionFact } from './facts.js';

const spec = deciderSpec(evolutionDecider);
const skill = 'risk.eu_ai_act_tier';
const basePrompt = 'You classify AI use cases.';
const alice = 'usr_alice';
const bob = 'usr_bob';

const proposed = (geneId: string, text: string, proposedBy: string | null = alice): EvolutionFact => ({
  type: 'cp.evolution.gene.proposed',
  data: {
    geneId,
    skill,
    text,
    rationale: 'why',
    motivatingEventIds: ['evt_1'],
    origin: 'person',
    proposedBy,
  },
});
const capsule = (genes: [string, string][], previous: string | null): EvolutionFact => {
  const text = composeCapsule({ basePrompt, genes: genes.map(([, t]) => t) });
  return {
    type: 'cp.evolution.capsule.created',
    data: {
      capsuleId: capsuleIdOf(text),
      skill,
      text,
      genes: genes.map(([id]) => id),
      previousCapsuleId: previous,
    },
  };
};
const idOf = (fact: EvolutionFact) => (fact.data as { capsuleId: string }).capsuleId;
const base = capsule([], null);
const withA = capsule([['gene_a', 'Cite articles.']], idOf(base));
const approvedA: EvolutionFact = {
  type: 'cp.evolution.gene.approved',
  data: { geneId: 'gene_a', skill, by: bob, capsuleId: idOf(withA) },
};
const historyA = [proposed('gene_a', 'Cite articles.'), approvedA, base, withA];

const refused = (code: string) => (error: unknown) => error instanceof EvolutionError && error.code === code;
const approve = (geneId: string, by = bob): EvolutionCommand => ({
  type: 'approve',
  geneId,
  skill,
  by,
  basePrompt,
});
const propose = (geneId: string, text: string, maxOpenProposals = 3): EvolutionCommand => ({
  type: 'propose',
  geneId,
  skill,
  text,
  rationale: 'why',
  motivatingEventIds: ['evt_1'],
  origin: 'person',
  proposedBy: alice,
  maxOpenProposals,
});

describe('the evolution decider', () => {
  it('proposes a gene with its text trimmed', () => {
    spec
      .given([])
      .when(propose('gene_a', '  Cite articles.  '))
      .then([proposed('gene_a', 'Cite articles.')]);
  });

  it('refuses a proposal beyond the open limit, and a duplicate of an open gene', () => {
    spec
      .given([proposed('gene_a', 'One.'), proposed('gene_b', 'Two.')])
      .when(propose('gene_c', 'Three.', 2))
      .thenThrows(refused('evolution_open_proposals_limit'));
    spec
      .given([proposed('gene_a', 'One.')])
      .when(propose('gene_c', 'One.'))
      .thenThrows(refused('evolution_gene_duplicate'));
  });

  it('approves into a new capsule, creating the base capsule first, and activates nothing', () => {
    spec
      .given([proposed('gene_a', 'Cite articles.')])
      .when(approve('gene_a'))
      .then([approvedA, base, withA]);
  });

  it('refuses the proposer as approver (four eyes)', () => {
    spec
      .given([proposed('gene_a', 'Cite articles.')])
      .when(approve('gene_a', alice))
      .thenThrows(refused('evolution_four_eyes'));
  });

  it('lets anyone but nobody twice approve a dream’s gene', () => {
    spec
      .given([proposed('gene_a', 'Cite articles.', null)])
      .when(approve('gene_a', alice))
      .then([{ ...approvedA, data: { ...approvedA.data, by: alice } }, base, withA]);
    spec.given(historyA).when(approve('gene_a')).thenThrows(refused('evolution_gene_lifecycle'));
  });

  it('never puts a rejected gene in a capsule', () => {
    const rejected: EvolutionFact = {
      type: 'cp.evolution.gene.rejected',
      data: { geneId: 'gene_b', skill, by: bob },
    };
    spec
      .given([...historyA, proposed('gene_b', 'Be brief.'), rejected])
      .when(approve('gene_b'))
      .thenThrows(refused('evolution_gene_lifecycle'));
    const withC = capsule(
      [
        ['gene_a', 'Cite articles.'],
        ['gene_c', 'Name the tier first.'],
      ],
      idOf(withA),
    );
    const facts = evolutionDecider.decide(
      approve('gene_c'),
      [
        ...historyA,
        proposed('gene_b', 'Be brief.'),
        rejected,
        proposed('gene_c', 'Name the tier first.'),
      ].reduce(evolutionDecider.evolve, evolutionDecider.initialState()),
    );
    expect(facts).toEqual([
      {
        type: 'cp.evolution.gene.approved',
        data: { geneId: 'gene_c', skill, by: bob, capsuleId: idOf(withC) },
      },
      withC,
    ]);
    expect((withC.data as { text: string }).text).not.toContain('Be brief.');
  });

  it('removes a deprecated gene from the next capsule, reusing a capsule of the same text', () => {
    const withAB = capsule(
      [
        ['gene_a', 'Cite articles.'],
        ['gene_b', 'Be brief.'],
      ],
      idOf(withA),
    );
    const approvedB: EvolutionFact = {
      type: 'cp.evolution.gene.approved',
      data: { geneId: 'gene_b', skill, by: bob, capsuleId: idOf(withAB) },
    };
    spec
      .given([...historyA, proposed('gene_b', 'Be brief.'), approvedB, withAB])
      .when({ type: 'deprecate', geneId: 'gene_a', skill, basePrompt, rule: 'person', by: bob })
      .then([
        {
          type: 'cp.evolution.gene.deprecated',
          data: {
            geneId: 'gene_a',
            skill,
            rule: 'person',
            by: bob,
            capsuleId: idOf(capsule([['gene_b', 'Be brief.']], null)),
          },
        },
        capsule([['gene_b', 'Be brief.']], idOf(withAB)),
      ]);
    spec
      .given(historyA)
      .when({
        type: 'deprecate',
        geneId: 'gene_a',
        skill,
        basePrompt,
        rule: 'stale_after_days',
        by: null,
        staleAfterDays: 30,
        lastUsedAt: '2026-01-01T00:00:00.000Z',
      })
      .then([
        {
          type: 'cp.evolution.gene.deprecated',
          data: {
            geneId: 'gene_a',
            skill,
            rule: 'stale_after_days',
            by: null,
            staleAfterDays: 30,
            lastUsedAt: '2026-01-01T00:00:00.000Z',
            capsuleId: idOf(base),
          },
        },
      ]);
  });

  it('activates a known capsule naming the one before it, and rolls back by activating an older one', () => {
    const activated = (capsuleId: string, previousCapsuleId: string | null): EvolutionFact => ({
      type: 'cp.evolution.capsule.activated',
      data: { capsuleId, skill, previousCapsuleId, by: bob },
    });
    spec
      .given(historyA)
      .when({ type: 'activate', capsuleId: idOf(withA), skill, by: bob })
      .then([activated(idOf(withA), null)]);
    spec
      .given([...historyA, activated(idOf(withA), null)])
      .when({ type: 'activate', capsuleId: idOf(base), skill, by: bob })
      .then([activated(idOf(base), idOf(withA))]);
    spec
      .given([...historyA, activated(idOf(withA), null)])
      .when({ type: 'activate', capsuleId: idOf(withA), skill, by: bob })
      .thenThrows(refused('evolution_capsule_active'));
    spec
      .given(historyA)
      .when({ type: 'activate', capsuleId: 'f'.repeat(64), skill, by: bob })
      .thenThrows(refused('evolution_capsule_not_found'));
  });

  it('records a replay only on an open proposal', () => {
    const result = {
      candidateCapsuleId: idOf(withA),
      activeCapsuleId: null,
      judge: 'schema+eval-cases',
      inputs: 'eval-cases' as const,
      wins: 1,
      losses: 0,
      ties: 0,
      costMicros: 0,
      cases: [],
    };
    spec
      .given([proposed('gene_a', 'Cite articles.')])
      .when({ type: 'record-replay', geneId: 'gene_a', skill, result })
      .then([{ type: 'cp.evolution.gene.replayed', data: { geneId: 'gene_a', skill, ...result } }]);
    spec
      .given(historyA)
      .when({ type: 'record-replay', geneId: 'gene_a', skill, result })
      .thenThrows(refused('evolution_gene_lifecycle'));
  });
});

describe('capsule identity', () => {
  it('is the SHA-256 of the text, the genes in approval order', () => {
    const text = composeCapsule({ basePrompt, genes: ['One.', 'Two.'] });
    expect(text.endsWith('- One.\n- Two.')).toBe(true);
    expect(capsuleIdOf(text)).toMatch(/^[0-9a-f]{64}$/);
    expect(capsuleIdOf(text)).not.toBe(capsuleIdOf(composeCapsule({ basePrompt, genes: ['Two.', 'One.'] })));
    expect(composeCapsule({ basePrompt, genes: [] })).toBe(basePrompt);
  });
});
