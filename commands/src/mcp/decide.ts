import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import type { ToolCallEvaluation } from '../policy/evaluate-tool-call.js';
import { auditedToolName } from './audited-tool-name.js';
import { McpError } from './errors.js';
import { type McpCallFact, type McpServerConfig, type McpServerFact, registeredEventData } from './facts.js';
import {
  evolveMcpCall,
  evolveMcpServer,
  initialMcpCallState,
  initialMcpServerState,
  type McpCallState,
  type McpServerState,
  type McpServerStatus,
} from './state.js';

export type McpServerAction = 'publish' | 'deprecate';

/** The registry's lifecycle: draft → published → deprecated, one step at a time. */
export const MCP_SERVER_TRANSITIONS: Record<McpServerAction, { from: McpServerStatus; to: McpServerStatus }> =
  {
    publish: { from: 'draft', to: 'published' },
    deprecate: { from: 'published', to: 'deprecated' },
  };

export type McpServerCommand =
  | {
      type: 'register';
      serverId: string;
      config: McpServerConfig;
      /** Whether the org already has a server of this name, as the registry table says. */
      nameTaken: boolean;
    }
  | { type: McpServerAction; serverId: string };

export const nameTakenDetail = (name: string) => `an MCP server named "${name}" already exists`;

/** The org's curated MCP servers: registered once under a free name, published from draft, deprecated from published. */
export const mcpServerDecider: Decider<McpServerCommand, McpServerState, McpServerFact> = {
  initialState: initialMcpServerState,
  understands: (type) => type.startsWith('cp.mcp.server.'),
  evolve: evolveMcpServer,
  decide(command, state) {
    if (command.type === 'register') {
      if (command.nameTaken) throw new McpError('conflict', nameTakenDetail(command.config.name));
      if (state.status !== 'none')
        throw new McpError('conflict', `MCP server ${command.serverId} already exists`);
      return [
        { type: 'cp.mcp.server.registered', data: registeredEventData(command.serverId, command.config) },
      ];
    }
    if (state.status === 'none') throw new McpError('not_found', `no MCP server ${command.serverId}`);
    const step = MCP_SERVER_TRANSITIONS[command.type];
    if (state.status !== step.from)
      throw new McpError(
        'conflict',
        `cannot ${command.type} a server that is ${state.status}; it must be ${step.from}`,
      );
    return [
      {
        type: command.type === 'publish' ? 'cp.mcp.server.published' : 'cp.mcp.server.deprecated',
        data: { serverId: command.serverId },
      },
    ];
  },
};

const GATE_DECISION = { allow: 'allow', block: 'block', hitl: 'hitl_required' } as const;

type Report = Omit<EventData<'cp.mcp.activity.recorded'>, 'deviceId'>;

export type McpCallCommand =
  | {
      type: 'gate';
      callId: string;
      deviceId: string;
      vendor: string;
      tool: string;
      argsSha256: string;
      policyVersion: number;
      verdict: Pick<ToolCallEvaluation, 'decision' | 'dlp'>;
    }
  /** `callId` names the subject: the report's own call id, or a fresh one for a call the gate never saw. */
  | { type: 'record'; callId: string; deviceId: string; report: Report };

/**
 * A governed MCP tool call: the gate's verdict on it (once) and the device's reports of what ran. A
 * report needs no verdict before it: a device reports calls the gate never saw, and a retried report
 * is counted again, as the activity counts always have.
 */
export const mcpCallDecider: Decider<McpCallCommand, McpCallState, McpCallFact> = {
  initialState: initialMcpCallState,
  understands: (type) => type === 'cp.mcp.gate.decided' || type === 'cp.mcp.activity.recorded',
  evolve: evolveMcpCall,
  decide(command, state) {
    if (command.type === 'record')
      return [
        {
          type: 'cp.mcp.activity.recorded',
          data: { deviceId: command.deviceId, ...command.report, tool: auditedToolName(command.report.tool) },
        },
      ];
    if (state.gated) throw new McpError('conflict', `MCP call ${command.callId} was already gated`);
    return [
      {
        type: 'cp.mcp.gate.decided',
        data: {
          callId: command.callId,
          deviceId: command.deviceId,
          vendor: command.vendor,
          tool: auditedToolName(command.tool),
          argsSha256: command.argsSha256,
          decision: GATE_DECISION[command.verdict.decision],
          // Arguments a local tool executes are never rewritten: DLP on them decides, it does not mask.
          masked: false,
          policyVersion: command.policyVersion,
          dlp: command.verdict.dlp,
        },
      },
    ];
  },
};

export const gateDecision = (verdict: Pick<ToolCallEvaluation, 'decision'>) =>
  GATE_DECISION[verdict.decision];
