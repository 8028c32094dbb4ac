import { z } from 'zod';

/** Routes of Parallel Universe (docs/parallel-universe.md): items, their promotion, settings, the budget meter. */
export const PU_SOURCE_IDS = [
  'anthropic-sdk-python',
  'openai-python',
  'arxiv-cs-ai',
  'github-search',
  'hacker-news',
] as const;
export const PU_ITEM_STATUSES = [
  'new',
  'triaged',
  'triage_failed',
  'promotion_pending',
  'promoted',
  'archived',
] as const;

const noNul = (s: string) => !s.includes('\u0000');

export const puItemsQuery = z.strictObject({
  status: z.enum(PU_ITEM_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const puItemParams = z.strictObject({ id: z.string().regex(/^pu_[0-9a-f]{24}$/, 'an item id') });

/** `repo`: for a `coder` promotion, the repository (relative to the org's workspace) the session works on. */
export const promotePuItemBody = z
  .strictObject({
    repo: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine(noNul, 'remove the NUL characters')
      .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'a path inside the workspace')
      .optional(),
  })
  .default({});

export const puItem = z.object({
  id: z.string(),
  source: z.string(),
  sourceId: z.string(),
  title: z.string(),
  url: z.string(),
  publishedAt: z.string().nullable(),
  status: z.string(),
  relevance: z.number().nullable(),
  summary: z.string().nullable(),
  action: z.string().nullable(),
  skill: z.string().nullable(),
  proposal: z.string().nullable(),
  costMicros: z.number().int(),
  discoveredAt: z.string(),
  triagedAt: z.string().nullable(),
  hitlRequestId: z.string().nullable(),
  geneId: z.string().nullable(),
  sessionId: z.string().nullable(),
});

export const puBudget = z.object({
  month: z.string(),
  spentMicros: z.number().int(),
  capMicros: z.number().int(),
  exhausted: z.boolean(),
});

export const puItemList = z.object({ items: z.array(puItem), budget: puBudget });

export const puSettings = z.strictObject({
  enabled: z.boolean(),
  intervalMinutes: z.number().int().min(5).max(10_080),
  staleAfterDays: z.number().int().min(1).max(365),
  monthlyBudgetMicros: z.number().int().min(0).max(1_000_000_000),
});

export const puPassResult = z.object({
  ran: z.boolean(),
  sources: z.record(z.string(), z.string()),
  discovered: z.number().int(),
  triaged: z.number().int(),
  archived: z.number().int(),
  promoted: z.number().int(),
  budgetExhausted: z.boolean(),
});

export type PuItem = z.infer<typeof puItem>;
export type PuItemList = z.infer<typeof puItemList>;
export type PuSettingsBody = z.infer<typeof puSettings>;
export type PuPassResult = z.infer<typeof puPassResult>;
