/**
 * Output bounds shared by both roles: a tool result must fit comfortably in one WebSocket frame and in an
 * LLM context, whatever the size of the file or the chattiness of the command.
 */
export const LIMITS = {
  /** Bytes of a file returned by `read`; the rest is cut and `truncated` is set. */
  readBytes: 256 * 1024,
  /** Bytes accepted by `write` and produced by `edit`. */
  writeBytes: 8 * 1024 * 1024,
  /** Largest file `edit` will load. */
  editFileBytes: 8 * 1024 * 1024,
  /** Bytes kept of each of stdout and stderr of `bash`. */
  bashOutputBytes: 64 * 1024,
  bashDefaultTimeoutMs: 60_000,
  bashMaxTimeoutMs: 600_000,
  /** Paths returned by `glob`. */
  globMatches: 1_000,
  /** Matching lines returned by `grep`. */
  grepMatches: 500,
  /** Characters of one matching line returned by `grep`. */
  grepLineChars: 400,
  /** Files larger than this are skipped by `grep`. */
  grepFileBytes: 2 * 1024 * 1024,
  /** Entries returned by `list`. */
  listEntries: 2_000,
  /** Directory entries a single `glob` or `grep` walk may visit before it stops. */
  walkEntries: 100_000,
} as const;
