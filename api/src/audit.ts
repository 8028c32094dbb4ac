import { z } from 'zod';
import { ACTOR_KINDS, AUDIT_STREAM_EVENT } from './vocabulary.js';

export { ACTOR_KINDS, AUDIT_STREAM_EVENT };

export const actorKind = z.enum(ACTOR_KINDS);
export type ActorKind = z.infer<typeof actorKind>;

/** An event as `/api/audit` and its stream return it: the hashed envelope (docs/event-chain.md). */
export const auditEvent = z.object({
  org: z.string(),
  seq: z.number().int(),
  id: z.string(),
  type: z.string(),
  subject: z.string(),
  subjectVersion: z.number().int(),
  time: z.string(),
  actor: z.object({ kind: actorKind, id: z.string() }),
  data: z.record(z.string(), z.unknown()),
  meta: z.record(z.string(), z.string().optional()),
  prev: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

const instant = z.iso.datetime({ offset: true });
const seq = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const seqCursor = z.string().regex(/^\d{1,15}$/, 'an event seq');

/** The filters of `/api/audit`, its stream and its CSV export, as query-string fields. */
export const auditFilterQuery = z.strictObject({
  type: z.string().min(1).max(200).optional().describe('type prefix, e.g. cp.llm.'),
  actor: z.string().min(1).max(200).optional().describe('actor id'),
  actorKind: actorKind.optional(),
  subject: z.string().min(1).max(300).optional(),
  runId: z.string().min(1).max(200).optional(),
  from: instant.optional().describe('inclusive lower bound on the event time'),
  to: instant.optional().describe('exclusive upper bound on the event time'),
  fromSeq: seq.optional(),
  toSeq: seq.optional(),
});
export type AuditFilterQuery = z.infer<typeof auditFilterQuery>;

/** `GET /api/audit`: the filters, then `after` (the previous page's `next`) and a page size. */
export const auditListQuery = auditFilterQuery.extend({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
export type AuditListQuery = z.input<typeof auditListQuery>;

/** `GET /api/audit/stream` resumes after this header (an org seq). */
export const auditStreamHeaders = z.object({ 'last-event-id': seqCursor.optional() });

/** `GET /api/audit`, oldest first. */
export const auditPage = z.object({
  events: z.array(auditEvent),
  /** Pass as `after` for the next page; null when this page is the last. */
  next: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPage>;

/** `GET /api/console/head`: the org chain's last seq and hash (0 and 64 zeros before the first event). */
export const chainHead = z.object({ seq: z.number().int().nonnegative(), hash: z.string() });
export type ChainHead = z.infer<typeof chainHead>;
