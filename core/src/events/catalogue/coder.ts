import { z } from 'zod';

const sessionId = z.string().min(1).max(100);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** How a session works: in a worktree of an existing repository, or in a fresh sandboxed directory. */
export const coderModes = ['repo', 'greenfield'] as const;
/** Why a loop stopped: the model said done, a limit was reached, or a call failed. */
export const coderStops = ['done', 'iteration_limit', 'token_limit', 'failed'] as const;

/**
 * Repo Coder and Greenfield sessions, subject `coder/<id>` (docs/coder.md). The goal is the person's text
 * as they typed it; tool arguments and outputs are on the `cp.tool.*` events of the session's run, and
 * host paths are never recorded (the repository is named relative to the org's workspace).
 */
export const coderEvents = {
  'cp.coder.session.created': z.strictObject({
    sessionId,
    mode: z.enum(coderModes),
    goal: z.string().min(1).max(4_000),
    /** The repository, relative to the org's workspace; absent in greenfield mode. */
    repo: z.string().min(1).max(500).optional(),
    branch: z.string().min(1).max(200).optional(),
    /** The paired device that holds the repository; `repo` is then relative to the daemon's root. */
    deviceId: z.string().min(1).max(100).optional(),
    runId: z.string().min(1).max(100),
    limits: z.strictObject({
      maxIterations: z.number().int().positive(),
      maxTokens: z.number().int().positive(),
    }),
  }),
  'cp.coder.session.started': z.strictObject({ sessionId }),
  'cp.coder.iteration.recorded': z.strictObject({
    sessionId,
    iteration: z.number().int().positive(),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    toolCalls: z
      .array(
        z.strictObject({
          callId: z.string().min(1).max(100),
          tool: z.enum(['read', 'write', 'run', 'done']),
          status: z.enum(['completed', 'failed', 'refused']),
          code: z.string().max(100).optional(),
        }),
      )
      .max(20),
  }),
  'cp.coder.session.finished': z.strictObject({
    sessionId,
    stop: z.enum(coderStops),
    summary: z.string().max(2_000).optional(),
    error: z.string().max(500).optional(),
    filesChanged: z.number().int().nonnegative(),
    diffSha256: sha256,
  }),
  'cp.coder.session.applied': z.strictObject({
    sessionId,
    /** The commit on the session's branch (repo mode). */
    commit: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .optional(),
    /** The tarball's digest (greenfield mode), served by the artifact route. */
    artifactSha256: sha256.optional(),
    artifactBytes: z.number().int().nonnegative().optional(),
  }),
  'cp.coder.session.discarded': z.strictObject({ sessionId }),
} as const;
