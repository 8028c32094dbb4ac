import type { Actor, EventEnvelope, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { evaluateToolCall } from '../policy/evaluate-tool-call.js';
import {
  gateDecision,
  type McpCallCommand,
  type McpServerCommand,
  mcpCallDecider,
  mcpServerDecider,
} from './decide.js';
import { mcpCallSubject, mcpServerSubject } from './facts.js';

interface Base {
  store: EventStore;
  org: string;
  /** The table rows the decided events imply, written in the append's transaction. */
  inline?: InlineWrite | undefined;
}

/** A registration or a lifecycle step, folded and appended at the version read: of two racing steps one wins. */
export const handleMcpServerCommand = (
  options: Base & { actor: Actor; command: McpServerCommand },
): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: mcpServerSubject(options.command.serverId),
    decider: mcpServerDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });

const onCall = (options: Base & { command: McpCallCommand }) =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: mcpCallSubject(options.command.callId),
    decider: mcpCallDecider,
    command: options.command,
    actor: { kind: 'device', id: options.command.deviceId },
    inline: options.inline,
  });

/**
 * The gate a governed `proofpane-daemon mcp` asks before a tool call: the org's policy in the device's
 * agent scope decides, and the verdict is recorded before the device hears it. The reason goes to the
 * device only; the event holds the decision, the argument hash and the DLP counts.
 */
export async function gateMcpCall(
  options: Base & {
    callId: string;
    device: { id: string; agent: string | null };
    vendor: string;
    tool: string;
    args: string | Record<string, unknown>;
    argsSha256: string;
    policy: { version: number; compiled: CompiledPolicy };
  },
): Promise<{ decision: 'allow' | 'block' | 'hitl_required'; callId: string; reason?: string }> {
  const { device, callId } = options;
  const agent = device.agent ?? undefined;
  const verdict = evaluateToolCall({
    policy: options.policy.compiled,
    call: { tool: options.tool, arguments: options.args, ...(agent ? { agent } : {}) },
  });
  await onCall({
    ...options,
    command: {
      type: 'gate',
      callId,
      deviceId: device.id,
      vendor: options.vendor,
      tool: options.tool,
      argsSha256: options.argsSha256,
      policyVersion: options.policy.version,
      verdict,
    },
  });
  const decision = gateDecision(verdict);
  return { decision, callId, ...(decision === 'allow' ? {} : { reason: verdict.reason }) };
}

/** A device's report of a governed call, counted in `inline` in the same transaction. */
export const recordMcpActivity = (
  options: Base & { command: Extract<McpCallCommand, { type: 'record' }> },
): Promise<EventEnvelope[]> => onCall(options);
