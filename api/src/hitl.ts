import { z } from 'zod';
import {
  HITL_KINDS,
  HITL_RISKS,
  HITL_STATUSES,
  HITL_STREAM_EVENTS,
  PU_PROMOTION_TARGET,
} from './vocabulary.js';

export { HITL_KINDS, HITL_RISKS, HITL_STATUSES, HITL_STREAM_EVENTS, PU_PROMOTION_TARGET };

export const hitlKind = z.enum(HITL_KINDS);
export type HitlKind = z.infer<typeof hitlKind>;

export const hitlStatus = z.enum(HITL_STATUSES);
export type HitlStatus = z.infer<typeof hitlStatus>;

export const hitlRisk = z.enum(HITL_RISKS);
export type HitlRisk = z.infer<typeof hitlRisk>;

export const decision = z.enum(['approve', 'deny']);
export type Decision = z.infer<typeof decision>;

/** Who settled a request and how; an expiry is a deny by `hitl-timeout`. */
export const hitlResolution = z.object({
  decision,
  by: z.string(),
  auto: z.boolean(),
  remember: z.boolean(),
  note: z.string().optional(),
  at: z.string(),
});
export type HitlResolution = z.infer<typeof hitlResolution>;

/** An approval request as `GET /api/hitl`, `GET /api/hitl/:id` and the resolve route return it. */
export const hitlRequest = z.object({
  id: z.string(),
  kind: hitlKind,
  subject: z.string(),
  target: z.string(),
  risk: hitlRisk,
  summary: z.string(),
  reason: z.string(),
  context: z.record(z.string(), z.unknown()),
  argsSha256: z.string(),
  status: hitlStatus,
  createdAt: z.string(),
  expiresAt: z.string(),
  /** A granted approval works once; true after the call it allowed ran. */
  consumed: z.boolean(),
  resolution: hitlResolution.optional(),
});
export type HitlRequest = z.infer<typeof hitlRequest>;

export const hitlListQuery = z.strictObject({
  status: hitlStatus.optional(),
  kind: hitlKind.optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type HitlListQuery = z.input<typeof hitlListQuery>;

/** `GET /api/hitl`, newest first; `next` goes in `before` for the following page. */
export const hitlList = z.object({ requests: z.array(hitlRequest), next: z.string().nullable() });
export type HitlList = z.infer<typeof hitlList>;

/** `GET /api/hitl/precedents`: people's decisions that guide auto-approval. */
export const hitlPrecedents = z.object({ precedents: z.array(hitlRequest) });
export type HitlPrecedents = z.infer<typeof hitlPrecedents>;

export const hitlResolveBody = z.strictObject({
  decision,
  remember: z.boolean().default(false),
  note: z.string().max(1_000).optional(),
});
export type HitlResolveBody = z.input<typeof hitlResolveBody>;

/** `POST /api/hitl/approvers/pairing-codes`: a single-use code, good for ten minutes. */
export const approverPairingCode = z.object({ code: z.string(), expiresAt: z.string() });
export type ApproverPairingCode = z.infer<typeof approverPairingCode>;

export const approverPairBody = z.strictObject({
  code: z.string().trim().min(4).max(20),
  name: z.string().trim().min(1).max(100),
});
export type ApproverPairBody = z.input<typeof approverPairBody>;

/** `POST /api/hitl/approvers/pair`: the approver token, shown this once. */
export const approverPairing = z.object({
  token: z.string(),
  org: z.string(),
  orgName: z.string(),
  approverId: z.string(),
  expiresAt: z.string(),
});
export type ApproverPairing = z.infer<typeof approverPairing>;

/** A message name of `GET /api/hitl/stream`; `hitlRequested` and `hitlResolved` are their data. */
export type HitlStreamEvent = (typeof HITL_STREAM_EVENTS)[number];

export const hitlRequested = z.object({
  id: z.string(),
  status: z.literal('pending'),
  kind: hitlKind,
  risk: hitlRisk,
  target: z.string(),
  summary: z.string(),
  expiresAt: z.string(),
});
export type HitlRequested = z.infer<typeof hitlRequested>;

export const hitlResolved = z.object({
  id: z.string(),
  status: hitlStatus.exclude(['pending']),
  decision,
  auto: z.boolean(),
  by: z.string(),
});
export type HitlResolved = z.infer<typeof hitlResolved>;
