import type { CoderToolResult, CompiledPolicy } from '@proofpane/commands';
import type { Actor, EventStore } from '@proofpane/core';
import {
  executeTool,
  LIMITS,
  openRoot,
  type Root,
  renderText,
  type ToolName,
  type ToolOutcome,
  toolSchemas,
} from '@proofpane/daemon';
import { DEFAULT_AUTO_APPROVE_THRESHOLD, type HitlService } from '../hitl/service.js';
import { type GovernedToolResult, governedToolCall } from '../tools/governed-tool-call.js';
import type { ToolRuntime } from '../tools/runtime.js';
import { coderRunner, runInContainer } from './docker-runner.js';

/** What the model reads back of one tool call; longer outputs are cut (the run tool caps its own too). */
const TOOL_TEXT_CHARS = 16_000;

export interface SessionToolsOptions {
  store: EventStore;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
  hitl: HitlService;
  org: string;
  actor: Actor;
  /** The session's tree on the server: the only folder its tools see. */
  dir?: string;
  /** Where the calls run instead of `dir`: a paired device's worktree (`device-trees.ts`). */
  runtime?: ToolRuntime;
}

/**
 * The coder's tool calls through the governed tool path (policy, DLP on arguments and results, audit),
 * run in the session's tree: file tools confined to it (symlinks resolved against it), `bash` only in the
 * bubblewrap sandbox that binds that tree alone, without network. A call the policy sends to a person
 * waits for the decision and, once approved, runs with that approval.
 */
export function sessionTools(options: SessionToolsOptions) {
  const governed = governedSessionCalls(options);
  return async (input: {
    tool: 'read' | 'write' | 'bash';
    args: Record<string, unknown>;
    runId: string;
  }): Promise<CoderToolResult> => {
    const result = await governed(input);
    if (result.status === 'refused')
      return {
        callId: result.callId,
        status: 'refused',
        code: result.code,
        text: `refused (${result.code}): ${result.reason}`,
      };
    const { outcome } = result;
    if (!outcome.ok)
      return {
        callId: result.callId,
        status: 'failed',
        code: outcome.error.code,
        text: `error ${outcome.error.code}: ${outcome.error.message}`.slice(0, TOOL_TEXT_CHARS),
      };
    return {
      callId: result.callId,
      status: 'completed',
      text: renderText(input.tool as ToolName, outcome.result as never).slice(0, TOOL_TEXT_CHARS),
    };
  };
}

/**
 * One governed call of the session as it settled: refused, or run with its outcome. A call the policy sends
 * to a person waits for the decision and, once approved, runs with that approval.
 */
export function governedSessionCalls(options: SessionToolsOptions) {
  let root: Promise<Root> | undefined;
  const runtime: ToolRuntime = options.runtime ?? {
    kind: 'local' as const,
    execute: async (input: { tool: string; args: unknown }) => {
      root ??= openRoot(options.dir!, { sandbox: { kind: 'workspace' } });
      const opened = await root;
      if (input.tool === 'bash' && (await coderRunner()) === 'docker')
        return bashInContainer(opened.real, input.args);
      return executeTool(input.tool, input.args, { root: opened });
    },
  };
  const call = (input: {
    tool: string;
    args: Record<string, unknown>;
    runId: string;
    policy: Awaited<ReturnType<SessionToolsOptions['policies']['current']>>;
    approved?: string;
  }) =>
    governedToolCall({
      store: options.store,
      policy: input.policy,
      org: options.org,
      actor: options.actor,
      tool: input.tool,
      args: input.args,
      runtime,
      meta: { runId: input.runId },
      approvals: {
        approvedRequestId: input.approved,
        request: (asked) =>
          options.hitl.request({
            ...asked,
            org: options.org,
            actor: options.actor,
            kind: 'tool_call',
            target: `tool/${input.tool}`,
            args: input.args,
            agent: undefined,
            meta: { runId: input.runId },
            autoApproveThreshold: DEFAULT_AUTO_APPROVE_THRESHOLD,
          }),
        consume: (consumed) => options.hitl.consume({ ...consumed, org: options.org, actor: options.actor }),
      },
    });

  return async (input: {
    tool: string;
    args: Record<string, unknown>;
    runId: string;
  }): Promise<GovernedToolResult> => {
    const policy = await options.policies.current({ org: options.org });
    const governed = (approved?: string) => call({ ...input, policy, ...(approved ? { approved } : {}) });
    let result = await governed();
    if (result.status === 'refused' && result.code === 'hitl_required' && result.hitlRequestId) {
      const decided = await options.hitl.waitFor({ org: options.org, requestId: result.hitlRequestId });
      if (decided === 'approved') result = await governed(result.hitlRequestId);
    }
    return result;
  };
}

/**
 * `bash` where bubblewrap cannot build a sandbox but a Docker engine answers (decision 0048): the command
 * runs in a container without network that sees the session's tree alone, with the bash tool's timeout
 * and output bounds.
 */
async function bashInContainer(dir: string, raw: unknown): Promise<ToolOutcome> {
  const parsed = toolSchemas.bash.safeParse(raw ?? {});
  if (!parsed.success)
    return { ok: false, error: { code: 'invalid_arguments', message: 'bash: a command is needed' } };
  const timeoutMs = parsed.data.timeoutMs ?? LIMITS.bashDefaultTimeoutMs;
  const started = Date.now();
  try {
    const ran = await runInContainer({
      workspace: dir,
      command: parsed.data.command,
      timeoutMs,
      outputBytes: LIMITS.bashOutputBytes,
    });
    // `timeout --signal=KILL` in the container ends a command that runs too long with status 137.
    if (ran.exitCode === 137 && Date.now() - started >= timeoutMs)
      return {
        ok: false,
        error: { code: 'timeout', message: `command did not finish within ${timeoutMs} ms and was killed` },
      };
    return { ok: true, result: ran };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: 'sandbox_unavailable',
        message: `the Docker CLI could not run: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}
