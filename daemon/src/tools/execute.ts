import { bashTool } from './bash-tool.js';
import type { Root } from './confine.js';
import { editTool, listTool, readTool, writeTool } from './file-tools.js';
import type { ToolResults } from './results.js';
import { isToolName, type ToolArgs, type ToolName, toolSchemas } from './schemas.js';
import { globTool, grepTool } from './search-tools.js';
import { ToolError, type ToolErrorCode } from './tool-error.js';

export interface ToolFailure {
  code: ToolErrorCode;
  message: string;
}

/** What every tool call settles to: never a thrown error, so one bad call cannot take a runner down. */
export type ToolOutcome<T = unknown> = { ok: true; result: T } | { ok: false; error: ToolFailure };

export interface ExecuteOptions {
  /** The confined root, from `openRoot(dir)`. */
  root: Root;
  /** Cancels the call; a running `bash` command is killed. */
  signal?: AbortSignal;
}

type Runner<T extends ToolName> = (
  root: Root,
  args: ToolArgs<T>,
  signal?: AbortSignal,
) => ToolResults[T] | Promise<ToolResults[T]>;

const runners: { [T in ToolName]: Runner<T> } = {
  read: readTool,
  write: writeTool,
  edit: editTool,
  bash: bashTool,
  glob: globTool,
  grep: grepTool,
  list: listTool,
};

/**
 * Tools that do all their work in synchronous calls: `runTool` settles them before it returns, so a runner
 * can answer them in the turn that brought them, and there is nothing to cancel while they run.
 */
export const INLINE_TOOLS: ReadonlySet<string> = new Set<ToolName>(['read']);

const describeIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');

/**
 * The tool runtime shared by `mcp`, `run` and the server's LocalToolRuntime: validates the arguments against
 * the tool's schema, confines every path to the root and returns `{ ok, result }` or `{ ok: false, error }`.
 */
export async function executeTool(
  name: string,
  args: unknown,
  options: ExecuteOptions,
): Promise<ToolOutcome> {
  return runTool(name, args, options);
}

/** `executeTool` without the promise where none is needed: an INLINE_TOOLS call (or a refused one) has settled. */
export function runTool(
  name: string,
  args: unknown,
  options: ExecuteOptions,
): ToolOutcome | Promise<ToolOutcome> {
  if (!isToolName(name)) {
    return { ok: false, error: { code: 'unknown_tool', message: `unknown tool "${name}"` } };
  }
  const parsed = toolSchemas[name].safeParse(args ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_arguments', message: `${name}: ${describeIssues(parsed.error.issues)}` },
    };
  }
  try {
    const run = runners[name] as (root: Root, args: unknown, signal?: AbortSignal) => unknown;
    const result = run(options.root, parsed.data, options.signal);
    return result instanceof Promise ? result.then(succeeded, failed) : succeeded(result);
  } catch (err) {
    return failed(err);
  }
}

const succeeded = (result: unknown): ToolOutcome => ({ ok: true, result });

function failed(err: unknown): ToolOutcome {
  if (err instanceof ToolError) return { ok: false, error: { code: err.code, message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: { code: 'io_error', message } };
}
