import { applyDlp, type CompiledPolicy, evaluateToolCall } from '@proofpane/commands';
import { type Actor, type EventStore, newId } from '@proofpane/core';
import { argsHash, type ToolOutcome } from '@proofpane/daemon';
import type { ToolRuntime } from './runtime.js';

export type GovernedToolResult =
  | { status: 'completed'; callId: string; outcome: ToolOutcome; masked: boolean }
  | {
      status: 'refused';
      callId: string;
      code: 'policy_blocked' | 'dlp_blocked' | 'hitl_required';
      reason: string;
      hitlRequestId?: string;
    };

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

const refusalCode = { block: 'policy_blocked', hitl: 'hitl_required' } as const;

/**
 * One agent tool call through the gates: policy (allowed tools, per-agent scope, DLP on the
 * arguments), then the runtime, then DLP on the result. Audited as `cp.tool.called` /
 * `cp.tool.completed` (or `cp.tool.refused`) with the argument hash and result size, never the values.
 */
export async function governedToolCall(options: {
  store: EventStore;
  policy: { version: number; compiled: CompiledPolicy };
  org: string;
  actor: Actor;
  agent?: string | undefined;
  tool: string;
  args: Record<string, unknown>;
  runtime: ToolRuntime;
  meta?: Record<string, string>;
  approvals?: ToolCallApprovals;
  now?: () => number;
}): Promise<GovernedToolResult> {
  const { store, org, actor, tool, args, runtime, policy } = options;
  const now = options.now ?? Date.now;
  const callId = newId('tc');
  const subject = `tool-call/${callId}`;
  const argsSha256 = argsHash(args);
  const agent = options.agent ? { agent: options.agent } : {};
  const meta = options.meta ?? {};
  const verdict = evaluateToolCall({
    policy: policy.compiled,
    call: { tool, arguments: args, runtime: runtime.kind, ...agent },
  });
  const gate = { policyVersion: policy.version, rulesMatched: verdict.rulesMatched, dlp: verdict.dlp };

  let hitlRequestId: string | undefined;
  if (verdict.decision === 'hitl' && options.approvals) {
    const { approvals } = options;
    if (approvals.approvedRequestId) {
      await approvals.consume({ requestId: approvals.approvedRequestId, argsSha256 });
      verdict.decision = 'allow';
    } else {
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

  if (verdict.decision !== 'allow') {
    const code = verdict.code ?? refusalCode[verdict.decision];
    await store.append({
      org,
      events: [
        {
          type: 'cp.tool.refused',
          subject,
          actor,
          meta,
          data: { callId, tool, argsSha256, ...agent, code, reason: verdict.reason, ...gate },
        },
      ],
    });
    return {
      status: 'refused',
      callId,
      code,
      reason: verdict.reason,
      ...(hitlRequestId ? { hitlRequestId } : {}),
    };
  }

  const remote = runtime.deviceId ? { deviceId: runtime.deviceId } : {};
  await store.append({
    org,
    events: [
      {
        type: 'cp.tool.called',
        subject,
        actor,
        meta,
        data: { callId, tool, argsSha256, runtime: runtime.kind, ...remote, ...agent, ...gate },
      },
    ],
  });
  const started = now();
  let outcome = await runtime.execute({ tool, args });
  const durationMs = Math.max(0, Math.round(now() - started));
  const text = outcome.ok ? JSON.stringify(outcome.result ?? null) : '';
  const resultGate = outcome.ok
    ? applyDlp({ scope: policy.compiled.scope(options.agent), texts: [text], doMask: true })
    : undefined;
  let masked = false;
  if (outcome.ok && resultGate) {
    if (resultGate.violations.some((v) => v.code === 'dlp_blocked' || v.code === 'hitl_required')) {
      outcome = {
        ok: false,
        error: { code: 'io_error', message: 'the result held data the policy blocks; it was withheld' },
      };
    } else if (resultGate.maskedTexts[0] !== text) {
      masked = true;
      outcome = { ok: true, result: parseOr(resultGate.maskedTexts[0]!) };
    }
  }
  await store.append({
    org,
    events: [
      {
        type: 'cp.tool.completed',
        subject,
        actor,
        meta,
        data: {
          callId,
          tool,
          ok: outcome.ok,
          ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
          resultBytes: Buffer.byteLength(text),
          durationMs,
          resultDlp: resultGate?.summary ?? {},
        },
      },
    ],
  });
  return { status: 'completed', callId, outcome, masked };
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
