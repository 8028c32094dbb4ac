import { describe, expect, it } from 'vitest';
import type { Definition } from './definition';
import { diffCount, diffDefinitions, previewGraph } from './preview-diff';

const current: Definition = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'a', type: 'skill', config: { skill: 'risk.x', input: { q: '$.input.q' } } },
    { id: 'gone', type: 'hitl', config: { summary: 's', timeoutSeconds: 60 } },
  ],
  edges: [
    { from: 'start', to: 'a' },
    { from: 'a', to: 'gone' },
  ],
};
const next: Definition = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'a', type: 'skill', config: { input: { q: '$.input.other' }, skill: 'risk.x' } },
    { id: 'new', type: 'condition', config: { value: true, op: 'truthy' } },
  ],
  edges: [
    { from: 'start', to: 'a' },
    { from: 'a', to: 'new' },
  ],
};

describe('a proposed definition against the current one', () => {
  it('marks nodes added, removed and changed by id, and edges by their ends', () => {
    expect(diffDefinitions(current, next)).toEqual({
      nodes: { a: 'changed', new: 'added', gone: 'removed' },
      edges: { 'a->new': 'added', 'a->gone': 'removed' },
    });
  });

  it('calls an edge whose label alone differs changed, and the same graph unchanged', () => {
    const labelled: Definition = {
      ...current,
      edges: [current.edges[0]!, { from: 'a', to: 'gone', when: 'true' }],
    };
    expect(diffDefinitions(current, labelled).edges).toEqual({ 'a->gone:true': 'changed' });
    expect(diffCount(diffDefinitions(current, structuredClone(current)))).toBe(0);
  });

  it('draws the proposal with what it removes kept on the canvas', () => {
    const { graph } = previewGraph(current, next);
    expect(graph.nodes.map((n) => n.id)).toEqual(['start', 'a', 'new', 'gone']);
    expect(graph.edges).toEqual([...next.edges, { from: 'a', to: 'gone' }]);
  });
});
