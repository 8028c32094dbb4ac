import { WORKFLOW_GRAPH_LIMITS } from '@proofpane/api';
import { workflowToolNames } from '@proofpane/commands';
import { WORKFLOW_LIMITS, workflowNodeTypes } from '@proofpane/core';
import { TOOL_NAMES } from '@proofpane/daemon';
import { describe, expect, it } from 'vitest';

// The packages that cannot import one another state these lists twice; here they must agree.
describe('what the workflow packages state twice', () => {
  it('bounds a graph the same in the HTTP contract and in the events', () => {
    expect(WORKFLOW_GRAPH_LIMITS).toEqual(WORKFLOW_LIMITS);
  });

  it('offers tool nodes exactly the seven tools the runtimes run', () => {
    expect([...workflowToolNames].sort()).toEqual([...TOOL_NAMES].sort());
    expect(workflowNodeTypes).toContain('tool');
  });
});
