import { z } from 'zod';

export const puSources = [
  'anthropic-sdk-python',
  'openai-python',
  'arxiv-cs-ai',
  'github-search',
  'hacker-news',
] as const;
export const puActions = ['gene', 'coder', 'ignore'] as const;

const itemId = z.string().regex(/^pu_[0-9a-f]{24}$/);
const month = z.string().regex(/^\d{4}-\d{2}$/);

/**
 * Parallel Universe (docs/parallel-universe.md): what public sources published, triaged by a governed
 * model call, promoted into a gene proposal or a coder session only after a person approves. Items are
 * `pu-item/<id>`, the id derived from source and source id, so an item is discovered once; each source's
 * conditional-request validators are on `pu-source/<source>`, settings on `pu-settings/org`, the month's
 * budget stop on `pu-budget/<month>`.
 */
export const parallelUniverseEvents = {
  'cp.pu.settings.updated': z.strictObject({
    enabled: z.boolean(),
    intervalMinutes: z.number().int().min(5).max(10_080),
    staleAfterDays: z.number().int().min(1).max(365),
    monthlyBudgetMicros: z.number().int().min(0).max(1_000_000_000),
  }),
  'cp.pu.source.fetched': z.strictObject({
    source: z.enum(puSources),
    outcome: z.enum(['fetched', 'not_modified', 'rate_limited', 'deferred', 'failed']),
    newItems: z.number().int().nonnegative(),
    etag: z.string().max(200).optional(),
    lastModified: z.string().max(100).optional(),
    retryAt: z.string().max(40).optional(),
    reason: z.string().max(300).optional(),
  }),
  'cp.pu.item.discovered': z.strictObject({
    itemId,
    source: z.enum(puSources),
    sourceId: z.string().min(1).max(200),
    title: z.string().max(500),
    url: z.string().max(1_000),
    publishedAt: z.string().max(40).nullable(),
    /** Public text from the source (release notes, abstract), for triage. */
    excerpt: z.string().max(2_000),
  }),
  'cp.pu.item.triaged': z.strictObject({
    itemId,
    relevance: z.number().min(0).max(1),
    summary: z.string().max(1_000),
    action: z.enum(puActions),
    /** The skill a `gene` action names. */
    skill: z.string().max(100).optional(),
    /** The gene text or coder goal the model proposes. */
    proposal: z.string().max(1_000).optional(),
    runId: z.string().max(100),
    costMicros: z.number().int().nonnegative(),
  }),
  'cp.pu.item.triage.failed': z.strictObject({
    itemId,
    reason: z.string().max(300),
    runId: z.string().max(100),
    costMicros: z.number().int().nonnegative(),
  }),
  'cp.pu.item.promotion.requested': z.strictObject({
    itemId,
    target: z.enum(['gene', 'coder']),
    hitlRequestId: z.string().min(1).max(100),
  }),
  'cp.pu.item.promotion.denied': z.strictObject({ itemId, hitlRequestId: z.string().min(1).max(100) }),
  'cp.pu.item.promoted': z.strictObject({
    itemId,
    target: z.enum(['gene', 'coder']),
    geneId: z.string().max(100).optional(),
    sessionId: z.string().max(100).optional(),
  }),
  'cp.pu.item.archived': z.strictObject({ itemId, staleAfterDays: z.number().int().positive() }),
  'cp.pu.budget.exhausted': z.strictObject({
    month,
    capMicros: z.number().int().nonnegative(),
    spentMicros: z.number().int().nonnegative(),
  }),
} as const;
