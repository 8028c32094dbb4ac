import { WORKFLOW_GRAPH_LIMITS, workflowGraphInput } from '@proofpane/api';
import { WORKFLOW_TEMPLATES, workflowToolNames } from '@proofpane/commands';
import { WORKFLOW_LIMITS, workflowGraph, workflowNodeId, workflowNodeTypes } from '@proofpane/core';
import { TOOL_NAMES } from '@proofpane/daemon';
import { describe, expect, it } from 'vitest';

// The packages that cannot import one another state these rules twice; here they must agree.
describe('what the workflow packages state twice', () => {
  it('bounds a graph the same in the HTTP contract and in the events', () => {
    expect(WORKFLOW_GRAPH_LIMITS).toEqual(WORKFLOW_LIMITS);
  });

  it('takes the same node ids at the edge and in the events', () => {
    for (const id of [
      'start',
      'a',
      '_x',
      'node-2',
      'n_3',
      'x'.repeat(64),
      '',
      '2a',
      '-a',
      'a.b',
      'a b',
      'x'.repeat(65),
    ]) {
      const edge = workflowGraphInput.safeParse({
        nodes: [{ id, type: 'tool', config: {} }],
        edges: [],
      }).success;
      expect(edge, id).toBe(workflowNodeId.safeParse(id).success);
    }
  });

  it('lets through the edge every graph the events hold, the templates among them', () => {
    for (const template of WORKFLOW_TEMPLATES) {
      expect(workflowGraph.safeParse(template.graph).success).toBe(true);
      expect(workflowGraphInput.safeParse(template.graph).success).toBe(true);
    }
  });

  it('offers tool nodes exactly the seven tools the runtimes run', () => {
    expect([...workflowToolNames].sort()).toEqual([...TOOL_NAMES].sort());
    expect(workflowNodeTypes).toContain('tool');
  });
});
