import { z } from 'zod';
import { hex64, id } from './schemas.js';

const entityCounts = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.number().int().nonnegative());

/**
 * Human approvals, one subject `hitl/<request id>`. The request binds the exact arguments by
 * hash; its context is what a reviewer needs, already DLP-masked.
 */
export const hitlEvents = {
  'cp.hitl.requested': z.strictObject({
    requestId: id,
    kind: z.enum(['llm_call', 'tool_call', 'mcp_call', 'workflow_step', 'consensus', 'pu_promotion']),
    target: z.string().min(1).max(200),
    argsSha256: hex64,
    argClass: z.string().max(200),
    risk: z.enum(['low', 'medium', 'high']),
    summary: z.string().max(2_000),
    reason: z.string().max(500),
    rulesMatched: z.array(z.string().max(200)),
    dlp: entityCounts,
    agent: z.string().max(100).optional(),
    expiresAt: z.string(),
    /** The answers a person chooses among (a consensus escalation), already DLP-masked. */
    choices: z
      .array(
        z.strictObject({ label: z.string().max(100), text: z.string().max(2_000), size: z.number().int() }),
      )
      .max(32)
      .optional(),
  }),
  'cp.hitl.resolved': z.strictObject({
    requestId: id,
    decision: z.enum(['approve', 'deny']),
    remember: z.boolean(),
    note: z.string().max(1_000).optional(),
    auto: z.boolean(),
    precedents: z
      .array(z.strictObject({ requestId: id, approvedBy: id, similarity: z.number().min(0).max(1) }))
      .optional(),
  }),
  'cp.hitl.expired': z.strictObject({ requestId: id, decision: z.literal('deny') }),
  'cp.hitl.consumed': z.strictObject({ requestId: id }),
  'cp.hitl.precedent.revoked': z.strictObject({ requestId: id }),
  'cp.hitl.approver.paired': z.strictObject({
    approverId: id,
    name: z.string().min(1).max(100),
    expiresAt: z.string(),
  }),
  /** An admin revoked a desktop approver: its token stops working and its open stream closes. */
  'cp.hitl.approver.revoked': z.strictObject({ approverId: id, name: z.string().min(1).max(100) }),
} as const;
