import { type Actor, type EventStore, newId } from '@proofpane/core';
import type { CompiledPolicy } from '../policy/compile.js';
import { applyDlp } from '../policy/dlp-gate.js';
import { evaluateToolCall } from '../policy/evaluate-tool-call.js';
import { decideToolGate, decideToolResult, type ToolCallOutcome, type ToolRefusalCode } from './decide.js';

/** Where a tool call runs (in the server process or on a paired device); the server provides it. */
export interface ToolCallRuntime<O extends ToolCallOutcome = ToolCallOutcome> {
  readonly kind: 'local' | 'remote';
  readonly deviceId?: string;
  execute(options: { tool: string; args: unknown }): Promise<O>;
}

export type GovernedToolResult =
  | { status: 'completed'; callId: string; outcome: ToolCallOutcome; masked: boolean }
  | { status: 'refused'; callId: string; code: ToolRefusalCode; reason: string; hitlRequestId?: string };

/** How a tool call asks a person: create a request, or use an approval the caller names. */
export interface ToolCallApprovals {
  /** The approved request the caller repeats the call with (`x-proofpane-hitl`). */
  approvedRequestId?: string | undefined;
  request(input: {
    summary: string;
    reason: string;
    rulesMatched: string[];
    dlp: Record<string, number>;
    argsSha256: string;
    timeoutSeconds: number;
  }): Promise<{ requestId: string; status: 'pending' | 'approved' }>;
  consume(input: { requestId: string; argsSha256: string }): Promise<void>;
}

/**
 * One agent tool call through the gates, as a process: policy (allowed tools, per-agent scope, DLP on
 * the arguments) and any approval, then the runtime, then DLP on the result. Audited as `cp.tool.called`
 * (appended before the tool runs, so a tool that never returns is still on record) and `cp.tool.completed`,
 * or as `cp.tool.refused`.
 */
export async function governedToolCall(options: {
  store: EventStore;
  policy: { version: number; compiled: CompiledPolicy };
  org: string;
  actor: Actor;
  agent?: string | undefined;
  tool: string;
  args: Record<string, unknown>;
  /** The arguments' hash as the runtime computes it, so an approval binds what the tool receives. */
  argsSha256: string;
  runtime: ToolCallRuntime;
  meta?: Record<string, string>;
  approvals?: ToolCallApprovals;
  now?: () => number;
}): Promise<GovernedToolResult> {
  const { store, org, tool, args, runtime, policy, argsSha256 } = options;
  const now = options.now ?? Date.now;
  const callId = newId('tc');
  const envelope = { callId, actor: options.actor, meta: options.meta ?? {} };
  const verdict = evaluateToolCall({
    policy: policy.compiled,
    call: {
      tool,
      arguments: args,
      runtime: runtime.kind,
      ...(options.agent ? { agent: options.agent } : {}),
    },
  });

  let hitlRequestId: string | undefined;
  if (verdict.decision === 'hitl' && options.approvals) {
    const { approvals } = options;
    if (approvals.approvedRequestId) {
      await approvals.consume({ requestId: approvals.approvedRequestId, argsSha256 });
      verdict.decision = 'allow';
    } else {
      // The reviewer sees the arguments masked, whatever the policy lets the tool itself receive.
      const masked = applyDlp({
        scope: policy.compiled.scope(options.agent),
        texts: [JSON.stringify(args)],
        doMask: true,
      });
      const created = await approvals.request({
        summary: `${tool} ${masked.maskedTexts[0] ?? ''}`.slice(0, 2_000),
        reason: verdict.reason,
        rulesMatched: verdict.rulesMatched,
        dlp: verdict.dlp,
        argsSha256,
        timeoutSeconds: verdict.hitlTimeoutSeconds ?? 900,
      });
      hitlRequestId = created.requestId;
      if (created.status === 'approved') {
        await approvals.consume({ requestId: created.requestId, argsSha256 });
        verdict.decision = 'allow';
      }
    }
  }

  const gate = decideToolGate({
    envelope,
    tool,
    argsSha256,
    agent: options.agent,
    runtime,
    verdict,
    policyVersion: policy.version,
  });
  await store.append({ org, events: [gate.event] });
  if (!gate.allowed)
    return {
      status: 'refused',
      callId,
      code: gate.code,
      reason: verdict.reason,
      ...(hitlRequestId ? { hitlRequestId } : {}),
    };

  const started = now();
  const outcome = await runtime.execute({ tool, args });
  const result = decideToolResult({
    envelope,
    tool,
    policy: policy.compiled,
    agent: options.agent,
    outcome,
    durationMs: now() - started,
  });
  await store.append({ org, events: [result.event] });
  return { status: 'completed', callId, outcome: result.outcome, masked: result.masked };
}
