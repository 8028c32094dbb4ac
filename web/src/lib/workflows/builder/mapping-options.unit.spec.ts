import { describe, expect, it } from 'vitest';
import type { Definition } from './definition';
import { mappingOptions, segment } from './mapping-options';

const definition: Definition = {
  nodes: [
    {
      id: 'start',
      type: 'trigger',
      config: {
        kind: 'manual',
        inputSchema: {
          type: 'object',
          properties: { name: { type: 'string' }, 'odd key': { type: 'number' } },
        },
      },
    },
    { id: 'classify', type: 'skill', config: { skill: 'intake.classify_use_case', input: {} } },
    { id: 'review', type: 'hitl', config: { summary: 's', timeoutSeconds: 60 } },
    { id: 'side', type: 'tool', config: { tool: 'read', args: {} } },
    { id: 'last', type: 'skill', config: { skill: 'audit.report', input: {} } },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'review' },
    { from: 'review', to: 'last', when: 'approved' },
    { from: 'start', to: 'side' },
  ],
};
const skillOutputs = {
  'intake.classify_use_case': {
    type: 'object',
    properties: {
      tier: { type: 'string' },
      scores: { type: 'object', properties: { risk: { type: 'number' } } },
    },
  },
};

describe('what an input can map from', () => {
  it('offers the run input and every upstream output, by what each declares, in the engine syntax', () => {
    const paths = mappingOptions({ definition, nodeId: 'last', skillOutputs }).map((o) => o.path);
    expect(paths).toEqual([
      '$.input',
      '$.input.name',
      '$.input["odd key"]',
      '$.nodes.classify.output',
      '$.nodes.classify.output.tier',
      '$.nodes.classify.output.scores',
      '$.nodes.classify.output.scores.risk',
      '$.nodes.review.output',
      '$.nodes.review.output.decision',
      '$.nodes.review.output.note',
    ]);
  });

  it('never offers a node that is not upstream, nor anything to the trigger', () => {
    const paths = mappingOptions({ definition, nodeId: 'classify', skillOutputs }).map((o) => o.path);
    expect(paths.some((p) => p.includes('side') || p.includes('review'))).toBe(false);
    expect(mappingOptions({ definition, nodeId: 'start', skillOutputs })).toEqual([]);
  });

  it('quotes keys the name segment cannot hold', () => {
    expect(segment('tier')).toBe('.tier');
    expect(segment('a-b')).toBe('.a-b');
    expect(segment('has "quote"')).toBe('["has \\"quote\\""]');
  });
});
