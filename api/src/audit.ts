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
  /**
   * Readable names of the users, API keys, devices and the org the page's actors and subjects
   * name, by id (an email, a key's or device's name). An id with no entry is shown as it is.
   */
  names: z.record(z.string(), z.string()).optional(),
});
export type AuditPage = z.infer<typeof auditPage>;

/** `GET /api/console/head`: the org chain's last seq and hash (0 and 64 zeros before the first event). */
export const chainHead = z.object({ seq: z.number().int().nonnegative(), hash: z.string() });
export type ChainHead = z.infer<typeof chainHead>;

const nameId = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'an id');

/** `GET /api/audit/names?ids=a,b`: names for ids a live event brought that no page named yet. */
export const auditNamesQuery = z.strictObject({
  ids: z
    .string()
    .min(1)
    .max(8_000)
    .transform((v) => v.split(','))
    .pipe(z.array(nameId).min(1).max(100))
    .describe('comma-separated ids, at most 100'),
});
export type AuditNamesQuery = z.input<typeof auditNamesQuery>;
export const auditNames = z.object({ names: z.record(z.string(), z.string()) });
export type AuditNames = z.infer<typeof auditNames>;

export const AUDIT_SUMMARY_WINDOWS = ['24h'] as const;
export const auditSummaryQuery = z.strictObject({ window: z.enum(AUDIT_SUMMARY_WINDOWS).default('24h') });
export type AuditSummaryQuery = z.input<typeof auditSummaryQuery>;

/** Governed calls completed, refusals by a gate (policy, budget, tool) and spend in micro-dollars. */
export const activityTotals = z.object({
  calls: z.number().int(),
  refusals: z.number().int(),
  costMicros: z.number(),
});
export type ActivityTotals = z.infer<typeof activityTotals>;

/** `GET /api/audit/summary`: Mission Control's tiles and its hourly chart. */
export const auditSummary = z.object({
  window: z.enum(AUDIT_SUMMARY_WINDOWS),
  /** The last 60 minutes, to the minute. */
  lastHour: activityTotals,
  last24h: activityTotals,
  /** HITL requests waiting for a person now. */
  approvalsPending: z.number().int(),
  /** 24 UTC hours, oldest first, the current (partial) hour last, zeros included. */
  hours: z.array(activityTotals.extend({ hour: z.string() })),
});
export type AuditSummary = z.infer<typeof auditSummary>;
