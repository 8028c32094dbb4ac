import type { DlpSummary } from '../dlp/summary.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { DecisionCode } from '../policy/decision.js';
import { applyDlp } from '../policy/dlp-gate.js';
import type { ToolCallEvaluation } from '../policy/evaluate-tool-call.js';
import { type ToolCallEnvelope, toolCalledEvent, toolCompletedEvent, toolRefusedEvent } from './events.js';

/** How a tool settled; an error is never thrown, so one bad call cannot take a runner down. */
export type ToolCallOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string } };

export type ToolRefusalCode = DecisionCode;

const refusalCode = { block: 'policy_blocked', hitl: 'hitl_required' } as const;

/**
 * The gate's decision on one tool call, after any approval was used: `cp.tool.called` when the verdict
 * allows it, else `cp.tool.refused` with the verdict's code (or the decision's own). Both carry the
 * argument hash and what the policy matched, never the arguments.
 */
export function decideToolGate(options: {
  envelope: ToolCallEnvelope;
  tool: string;
  argsSha256: string;
  agent?: string | undefined;
  runtime: { kind: 'local' | 'remote'; deviceId?: string | undefined };
  verdict: Pick<ToolCallEvaluation, 'decision' | 'code' | 'reason' | 'rulesMatched' | 'dlp'>;
  policyVersion: number;
}) {
  const { envelope, tool, argsSha256, verdict } = options;
  const agent = options.agent ? { agent: options.agent } : {};
  const gate = { policyVersion: options.policyVersion, rulesMatched: verdict.rulesMatched, dlp: verdict.dlp };
  if (verdict.decision !== 'allow') {
    const code: ToolRefusalCode = verdict.code ?? refusalCode[verdict.decision];
    return {
      allowed: false as const,
      code,
      event: toolRefusedEvent(envelope, {
        tool,
        argsSha256,
        ...agent,
        code,
        reason: verdict.reason,
        ...gate,
      }),
    };
  }
  const remote = options.runtime.deviceId ? { deviceId: options.runtime.deviceId } : {};
  return {
    allowed: true as const,
    event: toolCalledEvent(envelope, {
      tool,
      argsSha256,
      runtime: options.runtime.kind,
      ...remote,
      ...agent,
      ...gate,
    }),
  };
}

/**
 * DLP on what the tool returned, then `cp.tool.completed`. A result holding data the policy blocks (or
 * would hold for a person) is withheld as an `io_error`; one holding data to mask is returned masked.
 * The event holds the result's size and DLP counts, never the result.
 */
export function decideToolResult(options: {
  envelope: ToolCallEnvelope;
  tool: string;
  policy: CompiledPolicy;
  agent?: string | undefined;
  outcome: ToolCallOutcome;
  durationMs: number;
}) {
  const { envelope, tool } = options;
  let outcome = options.outcome;
  const text = outcome.ok ? JSON.stringify(outcome.result ?? null) : '';
  const resultGate = outcome.ok
    ? applyDlp({ scope: options.policy.scope(options.agent), texts: [text], doMask: true })
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
  const resultDlp: DlpSummary = resultGate?.summary ?? {};
  return {
    outcome,
    masked,
    event: toolCompletedEvent(envelope, {
      tool,
      ok: outcome.ok,
      ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
      resultBytes: Buffer.byteLength(text),
      durationMs: Math.max(0, Math.round(options.durationMs)),
      resultDlp,
    }),
  };
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
