import type { CoderToolResult, CompiledPolicy } from '@proofpane/commands';
import type { Actor, EventStore } from '@proofpane/core';
import { executeTool, openRoot, type Root, renderText, type ToolName } from '@proofpane/daemon';
import { DEFAULT_AUTO_APPROVE_THRESHOLD, type HitlService } from '../hitl/service.js';
import { governedToolCall } from '../tools/governed-tool-call.js';

/** What the model reads back of one tool call; longer outputs are cut (the run tool caps its own too). */
const TOOL_TEXT_CHARS = 16_000;

export interface SessionToolsOptions {
  store: EventStore;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
  hitl: HitlService;
  org: string;
  actor: Actor;
  /** The session's tree: the only folder its tools see. */
  dir: string;
}

/**
 * The coder's tool calls through the governed tool path (policy, DLP on arguments and results, audit),
 * run in the session's tree: file tools confined to it (symlinks resolved against it), `bash` only in the
 * bubblewrap sandbox that binds that tree alone, without network. A call the policy sends to a person
 * waits for the decision and, once approved, runs with that approval.
 */
export function sessionTools(options: SessionToolsOptions) {
  let root: Promise<Root> | undefined;
  const runtime = {
    kind: 'local' as const,
    execute: async (input: { tool: string; args: unknown }) => {
      root ??= openRoot(options.dir, { sandbox: { kind: 'workspace' } });
      return executeTool(input.tool, input.args, { root: await root });
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
    tool: 'read' | 'write' | 'bash';
    args: Record<string, unknown>;
    runId: string;
  }): Promise<CoderToolResult> => {
    const policy = await options.policies.current({ org: options.org });
    const governed = (approved?: string) => call({ ...input, policy, ...(approved ? { approved } : {}) });
    let result = await governed();
    if (result.status === 'refused' && result.code === 'hitl_required' && result.hitlRequestId) {
      const decided = await options.hitl.waitFor({ org: options.org, requestId: result.hitlRequestId });
      if (decided === 'approved') result = await governed(result.hitlRequestId);
    }
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
