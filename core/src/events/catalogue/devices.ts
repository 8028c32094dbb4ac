import { z } from 'zod';
import { hex64, id } from './schemas.js';

const entityCounts = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.number().int().nonnegative());
const toolDecision = z.enum(['allow', 'block', 'hitl_required']);

/**
 * Paired devices, governed tool calls and MCP activity. Tool arguments and results never
 * appear: their SHA-256, sizes and DLP entity counts do.
 */
export const deviceEvents = {
  /** `agent`: the policy scope a device paired with this code acts in (absent: the org-wide one). */
  'cp.device.pairing-code.created': z.strictObject({
    codeId: id,
    expiresAt: z.string(),
    agent: z.string().max(64).optional(),
  }),
  'cp.device.paired': z.strictObject({
    deviceId: id,
    codeId: id,
    name: z.string().min(1).max(100),
    platform: z.string().max(100),
    agent: z.string().max(64).optional(),
  }),
  'cp.device.renamed': z.strictObject({ deviceId: id, name: z.string().min(1).max(100) }),
  'cp.device.revoked': z.strictObject({ deviceId: id }),
  'cp.tool.called': z.strictObject({
    callId: id,
    tool: z.string().min(1).max(100),
    argsSha256: hex64,
    runtime: z.enum(['local', 'remote']),
    deviceId: id.optional(),
    agent: z.string().max(100).optional(),
    policyVersion: z.number().int().nonnegative(),
    rulesMatched: z.array(z.string().max(200)),
    dlp: entityCounts,
  }),
  'cp.tool.refused': z.strictObject({
    callId: id,
    tool: z.string().min(1).max(100),
    argsSha256: hex64,
    agent: z.string().max(100).optional(),
    code: z.enum(['policy_blocked', 'dlp_blocked', 'hitl_required', 'device_unavailable']),
    reason: z.string().max(500),
    policyVersion: z.number().int().nonnegative(),
    rulesMatched: z.array(z.string().max(200)),
    dlp: entityCounts,
  }),
  'cp.tool.completed': z.strictObject({
    callId: id,
    tool: z.string().min(1).max(100),
    ok: z.boolean(),
    errorCode: z.string().max(60).optional(),
    resultBytes: z.number().int().nonnegative(),
    durationMs: z.number().int().nonnegative(),
    resultDlp: entityCounts,
  }),
  /**
   * The configuration as registered, so the registry row can be rebuilt from the log. The config fields
   * are optional: events written before they were recorded hold the name and transport only. The registry
   * takes no environment variables or headers, so no secret value reaches the chain.
   */
  'cp.mcp.server.registered': z.strictObject({
    serverId: id,
    name: z.string().min(1).max(100),
    transport: z.enum(['stdio', 'http']),
    command: z.string().min(1).max(500).optional(),
    args: z.array(z.string().max(500)).max(50).optional(),
    url: z.string().min(1).optional(),
    description: z.string().max(500).optional(),
  }),
  'cp.mcp.server.published': z.strictObject({ serverId: id }),
  'cp.mcp.server.deprecated': z.strictObject({ serverId: id }),
  'cp.mcp.gate.decided': z.strictObject({
    callId: id,
    deviceId: id,
    vendor: z.string().max(40),
    tool: z.string().min(1).max(100),
    argsSha256: hex64,
    decision: toolDecision,
    masked: z.boolean(),
    policyVersion: z.number().int().nonnegative(),
    dlp: entityCounts,
  }),
  'cp.mcp.activity.recorded': z.strictObject({
    deviceId: id,
    vendor: z.string().max(40),
    tool: z.string().min(1).max(100),
    callId: id.optional(),
    decision: toolDecision,
    ok: z.boolean(),
    errorCode: z.string().max(60).optional(),
    argsSha256: hex64,
    masked: z.boolean(),
    resultBytes: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
  }),
} as const;
