import { workflowGraph as graphShape } from '@proofpane/core';
import jsonPatch from 'fast-json-patch';
import { z } from 'zod';
import type { WorkflowGraph } from '../workflows/graph.js';
import type { SkillLookup } from '../workflows/node-outputs.js';
import { validateWorkflowGraph } from '../workflows/validate.js';
import type { ValidationProblem } from '../workflows/validation-problem.js';

/** How large a proposal may be: enough for a few steps rewired, too small to smuggle a graph in. */
export const PATCH_LIMITS = { ops: 50, pointerChars: 300, patchChars: 32_768, summaryChars: 200 } as const;

const pointer = z
  .string()
  .max(PATCH_LIMITS.pointerChars)
  .regex(/^(\/[^/]*)*$/, 'a JSON Pointer (RFC 6901)');

/** One RFC 6902 operation, each op with exactly its own members. */
export const patchOperation = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), path: pointer, value: z.unknown() }),
  z.strictObject({ op: z.literal('remove'), path: pointer }),
  z.strictObject({ op: z.literal('replace'), path: pointer, value: z.unknown() }),
  z.strictObject({ op: z.literal('move'), from: pointer, path: pointer }),
  z.strictObject({ op: z.literal('copy'), from: pointer, path: pointer }),
  z.strictObject({ op: z.literal('test'), path: pointer, value: z.unknown() }),
]);
export type PatchOperation = z.infer<typeof patchOperation>;

export const graphPatch = z
  .array(patchOperation)
  .max(PATCH_LIMITS.ops)
  .refine((ops) => JSON.stringify(ops).length <= PATCH_LIMITS.patchChars, {
    message: `a patch of at most ${PATCH_LIMITS.patchChars} characters as JSON`,
  })
  .refine((ops) => !JSON.stringify(ops).includes('\\u0000'), { message: 'no NUL characters' });

/** Why a proposed patch was refused: a patch rule (with the op's index) or one of the graph's rules. */
export type PatchProblem =
  | { code: 'patch_malformed' | 'patch_unapplicable'; message: string; op?: number }
  | ValidationProblem;

export type PatchOutcome = { ok: true; graph: WorkflowGraph } | { ok: false; problems: PatchProblem[] };

/** The library's error names, said for people (its messages quote the whole document). */
const UNAPPLICABLE: Record<string, string> = {
  OPERATION_PATH_UNRESOLVABLE: 'the path does not exist in the graph',
  OPERATION_FROM_UNRESOLVABLE: '`from` does not exist in the graph',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'the array index is not a number, "-" or in range',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the array index is past the end',
  OPERATION_PATH_CANNOT_ADD: 'nothing can be added at this path',
  OPERATION_VALUE_REQUIRED: 'the operation needs a value',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'the value holds undefined',
  TEST_OPERATION_FAILED: 'the test operation found another value',
};

const where = (op: PatchOperation | undefined) => (op ? `${op.op} ${op.path}` : 'an operation');

/**
 * Applies a model's JSON Patch to a workflow graph without touching the original, then holds the result
 * to the graph's shape (the event catalogue's) and every rule a save checks (`validateWorkflowGraph`).
 * Prototype keys are refused by the library; sizes by `PATCH_LIMITS`.
 */
export function applyGraphPatch(options: {
  graph: WorkflowGraph;
  patch: unknown;
  skills: SkillLookup;
}): PatchOutcome {
  const parsed = graphPatch.safeParse(options.patch);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const op = typeof issue.path[0] === 'number' ? issue.path[0] : undefined;
        return {
          code: 'patch_malformed' as const,
          message: `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
          ...(op !== undefined ? { op } : {}),
        };
      }),
    };
  // Nothing to change: the graph as it is, even a draft the person has not made valid yet.
  if (parsed.data.length === 0) return { ok: true, graph: options.graph };
  const ops = parsed.data as jsonPatch.Operation[];
  let next: unknown = jsonPatch.deepClone(options.graph);
  // One operation at a time: the library's own index names the first operation of a failed batch.
  for (const [index, op] of ops.entries()) {
    try {
      next = jsonPatch.applyOperation(next, op, true, true, true, index).newDocument;
    } catch (error) {
      const reason =
        UNAPPLICABLE[(error as { name?: string }).name ?? ''] ?? 'the operation cannot be applied';
      return {
        ok: false,
        problems: [
          { code: 'patch_unapplicable', message: `${where(parsed.data[index])}: ${reason}`, op: index },
        ],
      };
    }
  }
  const shaped = graphShape.safeParse(next);
  if (!shaped.success)
    return {
      ok: false,
      problems: shaped.error.issues.map((issue) => ({
        code: 'patch_malformed' as const,
        message: `the patched graph at ${issue.path.join('.') || 'its root'}: ${issue.message}`,
      })),
    };
  const graph = shaped.data as WorkflowGraph;
  const problems = validateWorkflowGraph(graph, options.skills);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, graph };
}
