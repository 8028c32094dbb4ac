/**
 * Stable error codes a tool call can fail with. The cloud maps them into its own audit events and
 * problem details, so a code never changes meaning once published (see docs/daemon.md).
 */
export const TOOL_ERROR_CODES = [
  'unknown_tool',
  'invalid_arguments',
  'path_outside_root',
  'not_found',
  'not_a_file',
  'not_a_directory',
  'too_large',
  'edit_no_match',
  'edit_ambiguous',
  'invalid_regex',
  'timeout',
  'aborted',
  'io_error',
  'sandbox_unavailable',
] as const;

export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

/** Thrown inside tool implementations; `executeTool` turns it into `{ ok: false, error }`. */
export class ToolError extends Error {
  readonly code: ToolErrorCode;

  constructor(code: ToolErrorCode, message: string) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
  }
}

/** Maps a Node.js file-system error onto the tool catalogue, naming the path the caller used. */
export function fsError(err: unknown, shown: string): ToolError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ToolError('not_found', `${shown}: no such file or directory`);
  if (code === 'ENOTDIR') return new ToolError('not_a_directory', `${shown}: not a directory`);
  if (code === 'EISDIR') return new ToolError('not_a_file', `${shown}: is a directory`);
  if (code === 'EACCES' || code === 'EPERM') return new ToolError('io_error', `${shown}: permission denied`);
  const message = err instanceof Error ? err.message : String(err);
  return new ToolError('io_error', `${shown}: ${message}`);
}
