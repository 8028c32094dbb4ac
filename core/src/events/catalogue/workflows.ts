import { z } from 'zod';
import { hex64, id } from './schemas.js';

/** The node types a workflow graph may hold (`commands/src/workflows/graph.ts` names them for the engine). */
export const workflowNodeTypes = [
  'trigger',
  'skill',
  'condition',
  'multi_agent',
  'mcp_call',
  'tool',
  'hitl',
  'integration',
] as const;

/** Bounds of one version's graph, so a version's event stays small. */
export const WORKFLOW_LIMITS = { nodes: 100, edges: 300, graphChars: 262_144 } as const;

/** A node id: also a segment of the mapping paths (`$.nodes.<id>.output`), hence the plain alphabet. */
export const workflowNodeId = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/,
    'letters, digits, _ and -, starting with a letter or _; 64 at most',
  );

export const workflowGraph = z.strictObject({
  nodes: z
    .array(
      z.strictObject({
        id: workflowNodeId,
        type: z.enum(workflowNodeTypes),
        config: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1)
    .max(WORKFLOW_LIMITS.nodes),
  edges: z
    .array(
      z.strictObject({
        from: workflowNodeId,
        to: workflowNodeId,
        when: z.string().min(1).max(40).optional(),
      }),
    )
    .max(WORKFLOW_LIMITS.edges),
});

const workflowId = id;
const version = z.number().int().min(1);

/**
 * Workflow definitions, one subject `workflow/<id>`. Every version's graph is in its
 * `cp.workflow.draft.saved`, so versions, diffs and the hash a run is pinned to rebuild from the log;
 * `cp.workflow.published` names the version and the SHA-256 of its canonical graph.
 */
export const workflowEvents = {
  'cp.workflow.created': z.strictObject({
    workflowId,
    name: z.string().min(1).max(200),
    /** The template it was cloned from, when it was. */
    templateId: z.string().min(1).max(100).optional(),
  }),
  'cp.workflow.draft.saved': z.strictObject({ workflowId, version, graph: workflowGraph }),
  'cp.workflow.published': z.strictObject({ workflowId, version, hash: hex64 }),
  'cp.workflow.deprecated': z.strictObject({ workflowId }),
} as const;
