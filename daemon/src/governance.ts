import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './jcs.js';

/**
 * The governed-MCP contract between `proofpane-daemon mcp --governed` and the cloud (docs/daemon.md):
 * `POST /api/mcp/gate` before a tool call, `POST /api/mcp/activity` after it, both with the device token.
 * The server implements these routes by importing the same schemas.
 */
export const MCP_VENDORS = ['claude_desktop', 'codex_desktop', 'cursor', 'continue'] as const;
export const mcpVendor = z.enum([...MCP_VENDORS, 'unknown']);
export type McpVendor = z.infer<typeof mcpVendor>;

export const GATE_DECISIONS = ['allow', 'block', 'hitl_required'] as const;

export const gateRequest = z.object({
  vendor: mcpVendor,
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
});

export const gateResponse = z.object({
  decision: z.enum(GATE_DECISIONS),
  reason: z.string().optional(),
  /**
   * DLP-masked arguments from servers that still send them. Ignored: a local tool runs the client's own
   * arguments (masking them would run a different call, such as a grep for a character class).
   */
  maskedArgs: z.record(z.string(), z.unknown()).optional(),
  /** Correlates the activity report with the gate decision. */
  callId: z.string().optional(),
  /** With `hitl_required`: the approval request opened for this call, to wait on and then use. */
  hitlRequestId: z.string().optional(),
  /** With `hitlRequestId`: when the request is denied by default if nobody decides. */
  expiresAt: z.string().optional(),
});

/** `GET /api/mcp/gate/:requestId`: where the approval request for a held call stands. */
export const gateApproval = z.object({
  requestId: z.string(),
  status: z.enum(['pending', 'approved', 'denied', 'expired']),
  expiresAt: z.string(),
});

/** Codes a governed call can fail with before or instead of running the tool. */
export const GOVERNANCE_ERROR_CODES = [
  'policy_blocked',
  'hitl_required',
  'hitl_denied',
  'hitl_expired',
  'gate_unavailable',
  'device_revoked',
] as const;
export type GovernanceErrorCode = (typeof GOVERNANCE_ERROR_CODES)[number];

export const activityReport = z.object({
  vendor: mcpVendor,
  tool: z.string().min(1),
  callId: z.string().optional(),
  decision: z.enum(GATE_DECISIONS),
  /** Whether the tool ran and succeeded; false for blocked calls. */
  ok: z.boolean(),
  errorCode: z.string().optional(),
  /** SHA-256 of the RFC 8785 (JCS) form of the arguments as sent by the MCP client; never the arguments. */
  argsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Whether the tool ran with rewritten arguments: always false from this daemon, which never does. */
  masked: z.boolean(),
  resultBytes: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  time: z.string(),
});

export type GateRequest = z.infer<typeof gateRequest>;
export type GateResponse = z.infer<typeof gateResponse>;
export type GateApproval = z.infer<typeof gateApproval>;
export type ActivityReport = z.infer<typeof activityReport>;

/** SHA-256 (hex) of the JCS canonical form of tool arguments, as audited by the cloud. */
export function argsHash(args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(args ?? {}))
    .digest('hex');
}

/** Reads `CP_VENDOR`; anything else is tagged `unknown` so activity is never dropped for a typo. */
export function vendorFromEnv(env: NodeJS.ProcessEnv = process.env): { vendor: McpVendor; warning?: string } {
  const raw = env.CP_VENDOR;
  if (raw === undefined || raw === '') return { vendor: 'unknown' };
  const parsed = mcpVendor.safeParse(raw);
  if (parsed.success) return { vendor: parsed.data };
  return {
    vendor: 'unknown',
    warning: `CP_VENDOR=${raw} is not one of ${MCP_VENDORS.join(', ')}; tagging activity as unknown`,
  };
}
