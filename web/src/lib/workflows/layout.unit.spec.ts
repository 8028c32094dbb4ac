import type { WorkflowGraphOut } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { layoutWorkflow, stepLabel } from './layout';

type GraphNode = WorkflowGraphOut['nodes'][number];
const node = (id: string, type = 'skill', config: Record<string, unknown> = {}): GraphNode => ({
  id,
  type,
  config,
});

const positions = (graph: WorkflowGraphOut) =>
  Object.fromEntries(layoutWorkflow(graph).nodes.map((n) => [n.id, [n.position.x, n.position.y]]));

describe('layoutWorkflow', () => {
  it('puts each node on the row of its longest path from the trigger, rows centred', () => {
    const graph: WorkflowGraphOut = {
      nodes: [
        node('start', 'trigger'),
        node('classify'),
        node('data'),
        node('summary'),
        node('review', 'hitl'),
      ],
      edges: [
        { from: 'start', to: 'classify' },
        { from: 'start', to: 'data' },
        { from: 'classify', to: 'summary' },
        { from: 'data', to: 'summary' },
        { from: 'summary', to: 'review' },
        { from: 'start', to: 'review' },
      ],
    };
    expect(positions(graph)).toEqual({
      start: [0, 0],
      classify: [-125, 150],
      data: [125, 150],
      summary: [0, 300],
      review: [0, 450],
    });
  });

  it('orders a row by where the parents sit, so edges cross as little as they can', () => {
    const graph: WorkflowGraphOut = {
      nodes: [node('start', 'trigger'), node('left'), node('right'), node('under_right'), node('under_left')],
      edges: [
        { from: 'start', to: 'left' },
        { from: 'start', to: 'right' },
        { from: 'right', to: 'under_right' },
        { from: 'left', to: 'under_left' },
      ],
    };
    const at = positions(graph);
    expect(at.under_left?.[0]).toBeLessThan(at.under_right?.[0] ?? 0);
    expect(at.under_left?.[1]).toBe(300);
  });

  it('labels edges with their when and gives each a distinct id', () => {
    const { edges } = layoutWorkflow({
      nodes: [node('start', 'trigger'), node('check', 'condition'), node('a'), node('b')],
      edges: [
        { from: 'start', to: 'check' },
        { from: 'check', to: 'a', when: 'true' },
        { from: 'check', to: 'b', when: 'false' },
      ],
    });
    expect(edges.map((e) => [e.id, e.source, e.target, e.label])).toEqual([
      ['start->check', 'start', 'check', undefined],
      ['check->a:true', 'check', 'a', 'true'],
      ['check->b:false', 'check', 'b', 'false'],
    ]);
  });

  it('carries each node its id, type and title, fixed in place', () => {
    const { nodes } = layoutWorkflow(
      { nodes: [node('tier', 'skill', { skill: 'risk.eu_ai_act_tier' })], edges: [] },
      { 'risk.eu_ai_act_tier': 'Screen a system against the EU AI Act risk tiers' },
    );
    expect(nodes).toEqual([
      {
        id: 'tier',
        type: 'step',
        position: { x: 0, y: 0 },
        data: { id: 'tier', type: 'skill', title: 'Screen a system against the EU AI Act risk tiers' },
        draggable: false,
      },
    ]);
  });

  it('still places every node of a graph that loops, below the rest', () => {
    const at = positions({
      nodes: [node('start', 'trigger'), node('a'), node('b')],
      edges: [
        { from: 'start', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
      ],
    });
    expect(Object.keys(at).sort()).toEqual(['a', 'b', 'start']);
    expect(at.a?.[1]).toBe(150);
    expect(at.b?.[1]).toBe(150);
  });
});

describe('stepLabel', () => {
  it('names a skill step by the skill title, or its id when the catalogue lacks it', () => {
    const titles = { 'policy.gap_analysis': 'Find the gaps between a policy and a framework' };
    expect(stepLabel(node('gaps', 'skill', { skill: 'policy.gap_analysis' }), titles)).toEqual({
      type: 'skill',
      title: 'Find the gaps between a policy and a framework',
    });
    expect(stepLabel(node('x', 'skill', { skill: 'gone.skill' }), titles).title).toBe('gone.skill');
  });

  it('says what the other node types do', () => {
    const label = (n: GraphNode) => stepLabel(n, {}).title;
    expect(label(node('s', 'trigger', { kind: 'manual' }))).toBe('Starts by manual');
    expect(label(node('s', 'trigger', { kind: 'schedule', cron: '0 9 * * 1' }))).toBe(
      'Starts by schedule: 0 9 * * 1',
    );
    expect(label(node('c', 'condition', { op: 'in' }))).toBe('Checks in');
    expect(label(node('h', 'hitl', { risk: 'medium' }))).toBe('A person decides (medium risk)');
    expect(label(node('h', 'hitl', {}))).toBe('A person decides');
    expect(label(node('t', 'tool', { tool: 'grep' }))).toBe('Tool grep');
    expect(label(node('m', 'mcp_call', { server: 'jira', tool: 'create' }))).toBe('jira · create');
    expect(label(node('m', 'multi_agent', { strategy: 'vote', agents: [{}, {}] }))).toBe('vote, 2 agents');
    expect(stepLabel(node('odd', 'future_type'), {})).toEqual({ type: 'future_type', title: 'odd' });
  });
});
