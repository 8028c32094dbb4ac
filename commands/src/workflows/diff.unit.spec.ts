import { describe, expect, it } from 'vitest';
import { diffGraphs } from './diff.js';
import type { WorkflowGraph } from './graph.js';

const before: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    {
      id: 'sum',
      type: 'skill',
      config: { skill: 'intake.summarize_use_case', input: { text: '$.input.text' } },
    },
    { id: 'gate', type: 'hitl', config: { summary: '$.nodes.sum.output', timeoutSeconds: 600 } },
    { id: 'old', type: 'tool', config: { tool: 'list', args: {} } },
  ],
  edges: [
    { from: 'start', to: 'sum' },
    { from: 'sum', to: 'gate' },
    { from: 'gate', to: 'old', when: 'approved' },
  ],
};

describe('diffing two versions', () => {
  it('finds nothing between a graph and itself, whatever the key order', () => {
    const reordered = structuredClone(before);
    reordered.nodes[1]!.config = { input: { text: '$.input.text' }, skill: 'intake.summarize_use_case' };
    expect(diffGraphs(before, reordered)).toEqual({
      nodes: { added: [], removed: [], changed: [] },
      edges: { added: [], removed: [], changed: [] },
    });
  });

  it('names nodes added, removed and changed, with the fields that changed', () => {
    const after: WorkflowGraph = {
      nodes: [
        before.nodes[0]!,
        {
          id: 'sum',
          type: 'skill',
          config: { skill: 'intake.summarize_use_case', input: { text: '$.input.body' }, model: 'x' },
        },
        { id: 'gate', type: 'hitl', config: { summary: '$.nodes.sum.output', timeoutSeconds: 600 } },
        {
          id: 'post',
          type: 'tool',
          config: { tool: 'write', args: { path: 'a', content: '$.nodes.sum.output.summary' } },
        },
      ],
      edges: [
        { from: 'start', to: 'sum' },
        { from: 'sum', to: 'gate' },
        { from: 'gate', to: 'post', when: 'approved' },
      ],
    };
    const diff = diffGraphs(before, after);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(['post']);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(['old']);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'sum',
        before: before.nodes[1],
        after: after.nodes[1],
        fields: ['config.input.text', 'config.model'],
      },
    ]);
    expect(diff.edges).toEqual({
      added: [{ from: 'gate', to: 'post', when: 'approved' }],
      removed: [{ from: 'gate', to: 'old', when: 'approved' }],
      changed: [],
    });
  });

  it('reports a change of type, and an edge whose label changed as changed', () => {
    const after = structuredClone(before);
    after.nodes[3] = { id: 'old', type: 'skill', config: { skill: 'a.b', input: {} } };
    after.edges[2] = { from: 'gate', to: 'old', when: 'denied' };
    after.edges[1] = { from: 'sum', to: 'gate' };
    const diff = diffGraphs(before, after);
    expect(diff.nodes.changed[0]).toMatchObject({
      id: 'old',
      fields: ['type', 'config.tool', 'config.args', 'config.skill', 'config.input'],
    });
    expect(diff.edges).toEqual({
      added: [],
      removed: [],
      changed: [{ from: 'gate', to: 'old', before: { when: 'approved' }, after: { when: 'denied' } }],
    });
  });

  it('adds and removes labels one by one where a pair has several edges', () => {
    const after = structuredClone(before);
    after.edges.push({ from: 'gate', to: 'old', when: 'timeout' });
    expect(diffGraphs(before, after).edges).toEqual({
      added: [{ from: 'gate', to: 'old', when: 'timeout' }],
      removed: [],
      changed: [],
    });
    expect(diffGraphs(after, before).edges.removed).toEqual([{ from: 'gate', to: 'old', when: 'timeout' }]);
  });
});
