import type { WorkflowGraph } from '../graph.js';

/**
 * A workflow an org clones to start from (`POST /api/workflows/from-template`). `sampleInput` is a run
 * input the template completes on, on the demo provider; the catalogue spec validates every graph
 * against the skill catalogue and every sample against its trigger's schema.
 */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  /** The skill category it serves; the catalogue has one template per category at least. */
  category: 'intake' | 'risk' | 'vendor' | 'policy' | 'monitoring' | 'audit' | 'training' | 'external';
  graph: WorkflowGraph;
  sampleInput: Record<string, unknown>;
}

/** A trigger's input schema: string fields unless typed otherwise, all listed ones required. */
export function inputSchema(fields: Record<string, Record<string, unknown>>, required: readonly string[]) {
  return { type: 'object', properties: fields, required: [...required], additionalProperties: false };
}

export const str = { type: 'string', minLength: 1 } as const;
export const strList = { type: 'array', items: { type: 'string' } } as const;
