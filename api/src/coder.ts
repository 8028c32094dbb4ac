import { z } from 'zod';

/** Routes of Repo Coder and Greenfield sessions (docs/coder.md). */
export const CODER_MODES = ['repo', 'greenfield'] as const;
export const CODER_STATUSES = ['awaiting_run', 'running', 'finished', 'applied', 'discarded'] as const;
export const CODER_STOPS = ['done', 'iteration_limit', 'token_limit', 'failed'] as const;
export const CODER_GOAL_MAX_CHARS = 4_000;

const noNul = (s: string) => !s.includes('\u0000');

/** A path relative to the org's workspace: no root, no `..` segment, no NUL (the server also resolves symlinks). */
const repoPath = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine(noNul, 'remove the NUL characters')
  .refine(
    (p) => !p.startsWith('/') && !p.startsWith('\\'),
    'a path relative to the workspace, not an absolute one',
  )
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'a path inside the workspace, without `..`');

/** A repository on a paired device: `path` is relative to the root its `proofpane-daemon run` serves. */
export const coderDeviceRepo = z.strictObject({
  deviceId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'a device id'),
  path: repoPath,
});

/**
 * With `repo` the session changes that repository (Mode A): a path in the org's workspace on the server,
 * or `{deviceId, path}` on a paired device. Without, it builds a new project (Mode B).
 */
export const createCoderSessionBody = z.strictObject({
  goal: z.string().trim().min(1).max(CODER_GOAL_MAX_CHARS).refine(noNul, 'remove the NUL characters'),
  repo: z.union([repoPath, coderDeviceRepo]).optional(),
});

export const coderSessionParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'a session id'),
});

export const coderToolCall = z.object({
  callId: z.string(),
  tool: z.enum(['read', 'write', 'run', 'done']),
  status: z.enum(['completed', 'failed', 'refused']),
  code: z.string().optional(),
});

export const coderIteration = z.object({
  iteration: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  toolCalls: z.array(coderToolCall),
});

export const coderSessionSummary = z.object({
  id: z.string(),
  mode: z.enum(CODER_MODES),
  status: z.enum(CODER_STATUSES),
  goal: z.string(),
  repo: z.string().nullable(),
  /** The paired device that holds the repository; null when it is on the server. */
  deviceId: z.string().nullable(),
  branch: z.string().nullable(),
  runId: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  iterations: z.number().int(),
  tokens: z.number().int(),
  stop: z.enum(CODER_STOPS).nullable(),
  filesChanged: z.number().int().nullable(),
  artifactSha256: z.string().nullable(),
});

export const coderSession = coderSessionSummary.extend({
  limits: z.object({ maxIterations: z.number().int(), maxTokens: z.number().int() }),
  iterationLog: z.array(coderIteration),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  summary: z.string().nullable(),
  error: z.string().nullable(),
  diffSha256: z.string().nullable(),
  commit: z.string().nullable(),
  /** The change against the session's starting point, capped for viewing; null once it is gone. */
  diff: z.string().nullable(),
  diffTruncated: z.boolean(),
});

export const coderSessionList = z.object({ sessions: z.array(coderSessionSummary) });

export type CreateCoderSessionBody = z.infer<typeof createCoderSessionBody>;
export type CoderSessionSummary = z.infer<typeof coderSessionSummary>;
export type CoderSession = z.infer<typeof coderSession>;
export type CoderSessionList = z.infer<typeof coderSessionList>;
