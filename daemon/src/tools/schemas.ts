import { z } from 'zod';
import { LIMITS } from './limits.js';

const path = z
  .string()
  .min(1)
  .describe('Path relative to the root directory (absolute paths must lie inside it)');

/**
 * One input schema per tool. The argument names are a public contract shared by the stdio MCP server,
 * the cloud-paired runner and the server's LocalToolRuntime.
 */
export const toolSchemas = {
  read: z.object({ path }).strict(),
  write: z.object({ path, content: z.string().describe('Full new content of the file (UTF-8)') }).strict(),
  edit: z
    .object({
      path,
      old: z.string().min(1).describe('Exact text to replace; it must occur exactly once in the file'),
      new: z.string().describe('Replacement text'),
    })
    .strict(),
  bash: z
    .object({
      command: z.string().min(1).describe('Shell command, run by /bin/sh -c in the root directory'),
      timeoutMs: z
        .number()
        .int()
        .positive()
        .max(LIMITS.bashMaxTimeoutMs)
        .optional()
        .describe(`Kill the command after this many milliseconds (default ${LIMITS.bashDefaultTimeoutMs})`),
    })
    .strict(),
  glob: z.object({ pattern: z.string().min(1).describe('Glob pattern such as src/**/*.ts') }).strict(),
  grep: z
    .object({
      pattern: z.string().min(1).describe('JavaScript regular expression matched against each line'),
      path: path.optional().describe('File or directory to search (default: the root)'),
    })
    .strict(),
  list: z.object({ path: path.optional().describe('Directory to list (default: the root)') }).strict(),
} as const;

export type ToolName = keyof typeof toolSchemas;
export type ToolArgs<T extends ToolName> = z.infer<(typeof toolSchemas)[T]>;

/** The seven tools in the order they are advertised. */
export const TOOL_NAMES = [
  'read',
  'write',
  'edit',
  'bash',
  'glob',
  'grep',
  'list',
] as const satisfies readonly ToolName[];

export const toolDescriptions: Record<ToolName, string> = {
  read: `Read a UTF-8 text file under the root (first ${LIMITS.readBytes / 1024} KiB)`,
  write: 'Create or overwrite a file under the root, creating parent directories',
  edit: 'Replace one exact occurrence of a text in a file under the root',
  bash: 'Run a shell command in the root directory with a minimal environment and a timeout',
  glob: 'List files under the root whose relative path matches a glob pattern',
  grep: 'Search files under the root for lines matching a regular expression',
  list: 'List the entries of a directory under the root',
};

export const isToolName = (name: string): name is ToolName => Object.hasOwn(toolSchemas, name);
