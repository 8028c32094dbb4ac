import { z } from 'zod';
import type { ToolResults } from './results.js';
import type { ToolName } from './schemas.js';

const path = z.string().describe('Relative to the root, with / separators');
const truncated = z.boolean().describe('Whether a limit cut the result short');

/**
 * The JSON result of each tool (docs/daemon.md), as MCP output schemas: the stdio server returns it as
 * `structuredContent` beside the text rendering. Kept equal to `ToolResults` by the type check below.
 */
export const toolOutputSchemas = {
  read: z.object({ path, content: z.string(), size: z.number().int().nonnegative(), truncated }),
  write: z.object({ path, bytes: z.number().int().nonnegative(), created: z.boolean() }),
  edit: z.object({ path, replacements: z.literal(1) }),
  bash: z.object({
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    truncated,
  }),
  glob: z.object({ matches: z.array(z.string()), truncated }),
  grep: z.object({
    matches: z.array(z.object({ path, line: z.number().int().positive(), text: z.string() })),
    truncated,
  }),
  list: z.object({
    path,
    entries: z.array(
      z.object({
        name: z.string(),
        type: z.enum(['file', 'dir', 'symlink', 'other']),
        size: z.number().int().nonnegative().optional(),
      }),
    ),
    truncated,
  }),
} as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when a result type and its schema drift apart.
const _inSync: { [T in ToolName]: Same<z.infer<(typeof toolOutputSchemas)[T]>, ToolResults[T]> } = {
  read: true,
  write: true,
  edit: true,
  bash: true,
  glob: true,
  grep: true,
  list: true,
};
void _inSync;

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

const reading: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/**
 * MCP tool annotations: hints a client uses to decide what to confirm with the user. Only `bash`
 * reaches beyond the root (network, any file the user can touch); `edit` applied twice edits twice.
 */
export const toolAnnotations: Record<ToolName, ToolAnnotations> = {
  read: reading,
  write: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  edit: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  bash: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  glob: reading,
  grep: reading,
  list: reading,
};
