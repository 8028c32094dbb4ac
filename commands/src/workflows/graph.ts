import { workflowNodeTypes } from '@proofpane/core';

/**
 * A workflow version's graph: what the definitions decider stores, the validator checks and the engine
 * walks. Node configs are typed per node type in `node-configs.ts`; the types are the event catalogue's.
 */
export const nodeTypes = workflowNodeTypes;
export type NodeType = (typeof nodeTypes)[number];

export interface WorkflowNode {
  id: string;
  type: NodeType;
  config: Record<string, unknown>;
}

/**
 * `when` selects the edge by the producing node's outcome: `true`/`false` after a condition,
 * `approved`/`denied`/`timeout` after a hitl node; an edge without `when` is taken on success.
 */
export interface WorkflowEdge {
  from: string;
  to: string;
  when?: string;
}

export interface WorkflowGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}
