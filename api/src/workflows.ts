import { z } from 'zod';

/** What one version's graph may hold (the event catalogue bounds it the same; a server spec checks). */
export const WORKFLOW_GRAPH_LIMITS = { nodes: 100, edges: 300, graphChars: 262_144 } as const;

export const WORKFLOW_STATUSES = ['draft', 'published', 'deprecated'] as const;
export const workflowStatus = z.enum(WORKFLOW_STATUSES);
export type WorkflowStatus = z.infer<typeof workflowStatus>;

const nodeId = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/,
    'letters, digits, _ and -, starting with a letter or _; 64 at most',
  );

/**
 * A graph as a client sends it. Only its shape is checked here; the node types, configs, mappings and
 * wiring are the validator's (`400 workflow_invalid`, each problem naming its node or edge).
 */
export const workflowGraphInput = z
  .strictObject({
    nodes: z
      .array(
        z.strictObject({
          id: nodeId,
          type: z.string().min(1).max(40),
          config: z.record(z.string().max(200), z.unknown()),
        }),
      )
      .min(1)
      .max(WORKFLOW_GRAPH_LIMITS.nodes),
    edges: z
      .array(z.strictObject({ from: nodeId, to: nodeId, when: z.string().min(1).max(40).optional() }))
      .max(WORKFLOW_GRAPH_LIMITS.edges),
  })
  .refine((graph) => JSON.stringify(graph).length <= WORKFLOW_GRAPH_LIMITS.graphChars, {
    message: `a graph of at most ${WORKFLOW_GRAPH_LIMITS.graphChars} characters as JSON`,
  });
export type WorkflowGraphInput = z.input<typeof workflowGraphInput>;

const workflowName = z.string().trim().min(1).max(200);

export const createWorkflowBody = z.strictObject({ name: workflowName, graph: workflowGraphInput });
export type CreateWorkflowBody = z.input<typeof createWorkflowBody>;

export const saveWorkflowBody = z.strictObject({ graph: workflowGraphInput });
export type SaveWorkflowBody = z.input<typeof saveWorkflowBody>;

export const workflowFromTemplateBody = z.strictObject({
  templateId: z.string().min(1).max(100),
  /** The new workflow's name; the template's when absent. */
  name: workflowName.optional(),
});
export type WorkflowFromTemplateBody = z.input<typeof workflowFromTemplateBody>;

export const workflowListQuery = z.strictObject({
  status: workflowStatus.optional(),
  /** The `next` of the previous page. */
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type WorkflowListQuery = z.input<typeof workflowListQuery>;

const version = z.coerce.number().int().min(1).max(1_000_000);
/** Both default: `to` the latest version, `from` the one before `to`. */
export const workflowDiffQuery = z.strictObject({ from: version.optional(), to: version.optional() });
export type WorkflowDiffQuery = z.input<typeof workflowDiffQuery>;

export const workflowVersionParams = z.object({ id: z.string().min(1).max(100), version });

const graphOut = z.object({
  nodes: z.array(z.object({ id: z.string(), type: z.string(), config: z.record(z.string(), z.unknown()) })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), when: z.string().optional() })),
});
export type WorkflowGraphOut = z.infer<typeof graphOut>;

/** A workflow as lists show it. */
export const workflowSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: workflowStatus,
  latestVersion: z.number().int(),
  /** The version runs start on by default; null until one is published. */
  publishedVersion: z.number().int().nullable(),
  publishedHash: z.string().nullable(),
  templateId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WorkflowSummary = z.infer<typeof workflowSummary>;

export const workflowVersionSummary = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  /** SHA-256 of the version's canonical graph: what a published version is pinned by. */
  hash: z.string(),
  savedBy: z.string(),
  savedAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type WorkflowVersionSummary = z.infer<typeof workflowVersionSummary>;

/** `GET /api/workflows/:id`: the workflow, every version, and the latest version's graph. */
export const workflowDetail = workflowSummary.extend({
  versions: z.array(workflowVersionSummary),
  graph: graphOut,
});
export type WorkflowDetail = z.infer<typeof workflowDetail>;

export const workflowVersion = workflowVersionSummary.extend({ graph: graphOut });
export type WorkflowVersion = z.infer<typeof workflowVersion>;

export const workflowList = z.object({ workflows: z.array(workflowSummary), next: z.string().nullable() });
export type WorkflowList = z.infer<typeof workflowList>;

export const workflowPublished = z.object({ version: z.number().int(), hash: z.string() });
export type WorkflowPublished = z.infer<typeof workflowPublished>;

const node = graphOut.shape.nodes.element;
const edge = graphOut.shape.edges.element;
const when = z.object({ when: z.string().optional() });

/** `GET /api/workflows/:id/diff`: nodes by id, edges by their ends (a relabelled edge is changed). */
export const workflowDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  nodes: z.object({
    added: z.array(node),
    removed: z.array(node),
    changed: z.array(z.object({ id: z.string(), before: node, after: node, fields: z.array(z.string()) })),
  }),
  edges: z.object({
    added: z.array(edge),
    removed: z.array(edge),
    changed: z.array(z.object({ from: z.string(), to: z.string(), before: when, after: when })),
  }),
});
export type WorkflowDiff = z.infer<typeof workflowDiff>;

export const workflowTemplate = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  graph: graphOut,
  /** An input the template runs to completion on, on the demo provider. */
  sampleInput: z.record(z.string(), z.unknown()),
});
export type WorkflowTemplate = z.infer<typeof workflowTemplate>;

export const workflowTemplateList = z.object({ templates: z.array(workflowTemplate) });
export type WorkflowTemplateList = z.infer<typeof workflowTemplateList>;

/** One entry of a `workflow_invalid` problem's `errors`. */
export const workflowProblem = z.object({
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
  edge: z
    .object({ index: z.number().int(), from: z.string(), to: z.string(), when: z.string().optional() })
    .optional(),
  field: z.string().optional(),
});
export type WorkflowProblem = z.infer<typeof workflowProblem>;

/** `POST /api/workflows/validate`: a graph checked as a save would check it, nothing stored. */
export const workflowValidateBody = z.strictObject({ graph: workflowGraphInput });
export type WorkflowValidateBody = z.input<typeof workflowValidateBody>;

export const workflowValidation = z.object({ valid: z.boolean(), errors: z.array(workflowProblem) });
export type WorkflowValidation = z.infer<typeof workflowValidation>;

/**
 * `GET /api/workflow-node-types`: every node type the engine runs, with its config's JSON Schema and the
 * `when` labels its outgoing edges may carry, so a builder's palette follows the engine.
 */
export const workflowNodeTypeList = z.object({
  nodeTypes: z.array(
    z.object({
      type: z.string(),
      configSchema: z.record(z.string(), z.unknown()),
      edgeLabels: z.array(z.string()),
    }),
  ),
});
export type WorkflowNodeTypeList = z.infer<typeof workflowNodeTypeList>;
export type WorkflowNodeTypeInfo = WorkflowNodeTypeList['nodeTypes'][number];
