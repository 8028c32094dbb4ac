import { describe, expect, it } from 'vitest';
import { canvasOf, edgeFromConnection, freePosition, positionsFor } from './canvas-nodes';
import type { Definition } from './definition';

const definition: Definition = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'classify', type: 'skill', config: { skill: 'intake.classify_use_case', input: {} } },
    { id: 'check', type: 'condition', config: { value: true, op: 'truthy' } },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'check' },
  ],
};
const labels = { condition: ['true', 'false'], hitl: ['approved', 'denied', 'timeout'] };

describe('the definition on the canvas', () => {
  it('keeps known positions and lays out the rest top-down', () => {
    const placed = positionsFor(definition, { classify: { x: 500, y: 10 } });
    expect(placed.classify).toEqual({ x: 500, y: 10 });
    expect(placed.start!.y).toBeLessThan(placed.check!.y);
    expect(freePosition(placed).y).toBeGreaterThan(Math.max(...Object.values(placed).map((p) => p.y)));
  });

  it('puts titles, problems, proposal marks and run states on nodes and keys edges by their ends', () => {
    const { nodes, edges } = canvasOf({
      definition,
      positions: {},
      skillTitles: { 'intake.classify_use_case': 'Classify an AI use case' },
      problems: [{ node: 'check', message: 'compareTo is missing' }, { message: 'the graph has no trigger' }],
      diff: { nodes: { classify: 'changed' }, edges: { 'classify->check': 'added' } },
      steps: { start: { status: 'completed' }, classify: { status: 'running', cost: '$0.01' } },
      selected: 'check',
      editable: true,
    });
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(byId.classify!.data).toMatchObject({
      title: 'Classify an AI use case',
      mark: 'changed',
      status: 'running',
      cost: '$0.01',
      problems: [],
    });
    expect(byId.check!.data.problems).toEqual(['compareTo is missing']);
    expect(byId.check!.selected).toBe(true);
    // A part a proposal marks cannot be deleted from the canvas while the proposal shows.
    expect(byId.classify!.deletable).toBe(false);
    expect(byId.start!.deletable).toBe(true);
    expect(edges.map((e) => [e.id, e.class ?? '', e.animated ?? false])).toEqual([
      ['start->classify', '', true],
      ['classify->check', 'mark-added', false],
    ]);
  });

  it('gives a drawn connection the first unused branch label of a branching node', () => {
    expect(edgeFromConnection({ definition, source: 'classify', target: 'check', labels })).toEqual({
      from: 'classify',
      to: 'check',
    });
    const once = {
      ...definition,
      edges: [...definition.edges, { from: 'check', to: 'start', when: 'true' }],
    };
    expect(edgeFromConnection({ definition: once, source: 'check', target: 'classify', labels })).toEqual({
      from: 'check',
      to: 'classify',
      when: 'false',
    });
  });
});
