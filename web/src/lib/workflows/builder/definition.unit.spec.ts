import { describe, expect, it } from 'vitest';
import {
  addNode,
  connectNodes,
  type Definition,
  edgeKey,
  freshNodeId,
  relabelEdge,
  removeParts,
  renameNode,
  sameDefinition,
  upstreamOf,
} from './definition';

const graph = (): Definition => ({
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'classify', type: 'skill', config: { skill: 'intake.classify_use_case', input: {} } },
    { id: 'check', type: 'condition', config: { value: '$.nodes.classify.output.tier', op: 'truthy' } },
    { id: 'review', type: 'hitl', config: { summary: 'ok?', timeoutSeconds: 60 } },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'check' },
    { from: 'check', to: 'review', when: 'true' },
  ],
});

describe('editing a definition', () => {
  it('adds a node under a fresh readable id, copying its config', () => {
    const config = { skill: 'intake.classify_use_case', input: {} };
    const added = addNode(graph(), { type: 'skill', config, idBase: 'classify' });
    expect(added.id).toBe('classify_2');
    expect(added.definition.nodes.at(-1)).toEqual({ id: 'classify_2', type: 'skill', config });
    expect(added.definition.nodes.at(-1)!.config).not.toBe(config);
    expect(freshNodeId(graph(), '9 bad name!')).toBe('_bad_name_');
  });

  it('connects once, never to itself nor to a node that is not there', () => {
    const g = graph();
    expect(connectNodes(g, { from: 'start', to: 'classify' })).toBe(g);
    expect(connectNodes(g, { from: 'review', to: 'review' })).toBe(g);
    expect(connectNodes(g, { from: 'review', to: 'ghost' })).toBe(g);
    expect(connectNodes(g, { from: 'check', to: 'review', when: 'false' }).edges).toHaveLength(4);
  });

  it('removes a node with every edge touching it, and edges by key', () => {
    const without = removeParts(graph(), { nodes: ['check'] });
    expect(without.nodes.map((n) => n.id)).toEqual(['start', 'classify', 'review']);
    expect(without.edges).toEqual([{ from: 'start', to: 'classify' }]);
    expect(removeParts(graph(), { edges: ['check->review:true'] }).edges).toHaveLength(2);
  });

  it('relabels an edge and renames a node with its edges; a taken or bad id changes nothing', () => {
    expect(relabelEdge(graph(), 'check->review:true', undefined).edges[2]).toEqual({
      from: 'check',
      to: 'review',
    });
    const renamed = renameNode(graph(), 'check', 'is_high');
    expect(renamed.edges.map(edgeKey)).toEqual([
      'start->classify',
      'classify->is_high',
      'is_high->review:true',
    ]);
    const g = graph();
    expect(renameNode(g, 'check', 'review')).toBe(g);
    expect(renameNode(g, 'check', '1st')).toBe(g);
  });

  it('compares graphs regardless of node, edge and key order', () => {
    const g = graph();
    const shuffled: Definition = {
      nodes: [...g.nodes]
        .reverse()
        .map((n) => ({ ...n, config: Object.fromEntries(Object.entries(n.config).reverse()) })),
      edges: [...g.edges].reverse(),
    };
    expect(sameDefinition(g, shuffled)).toBe(true);
    expect(sameDefinition(g, relabelEdge(g, 'check->review:true', 'false'))).toBe(false);
  });

  it('names every node upstream of a node, in graph order', () => {
    expect(upstreamOf(graph(), 'review')).toEqual(['start', 'classify', 'check']);
    expect(upstreamOf(graph(), 'start')).toEqual([]);
  });
});
