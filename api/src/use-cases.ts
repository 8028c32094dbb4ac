import { z } from 'zod';

/*
 * AI use cases (docs/use-cases.md). The closed lists match the event catalogue's
 * (`core/src/events/catalogue/use-cases.ts`); a spec in commands/src/use-cases checks they agree,
 * and that the Annex III areas are the control catalogue's.
 */
export const USE_CASE_STATUSES = ['draft', 'in_review', 'approved', 'retired'] as const;
export const USE_CASE_TIERS = ['prohibited', 'high', 'limited', 'minimal'] as const;
export const USE_CASE_DATA_CATEGORIES = [
  'personal',
  'special_category',
  'children',
  'financial',
  'health',
  'none',
] as const;
export const USE_CASE_AUTONOMY_LEVELS = [
  'assistive',
  'human_in_the_loop',
  'human_on_the_loop',
  'autonomous',
] as const;
export const USE_CASE_DEPLOYMENT_CONTEXTS = [
  'internal',
  'customer_facing',
  'public_facing',
  'embedded_product',
] as const;
/** The EU AI Act Annex III areas by their control-catalogue uid, with its short title. */
export const ANNEX_III_AREAS = [
  { uid: 'EU-AI-ACT:AnnexIII.1', title: 'Biometrics' },
  { uid: 'EU-AI-ACT:AnnexIII.2', title: 'Critical infrastructure' },
  { uid: 'EU-AI-ACT:AnnexIII.3', title: 'Education and vocational training' },
  { uid: 'EU-AI-ACT:AnnexIII.4', title: 'Employment, workers management, self-employment access' },
  { uid: 'EU-AI-ACT:AnnexIII.5', title: 'Essential private and public services, benefits' },
  { uid: 'EU-AI-ACT:AnnexIII.6', title: 'Law enforcement' },
  { uid: 'EU-AI-ACT:AnnexIII.7', title: 'Migration, asylum and border control' },
  { uid: 'EU-AI-ACT:AnnexIII.8', title: 'Administration of justice, democratic processes' },
] as const;

export const useCaseStatus = z.enum(USE_CASE_STATUSES);
export const useCaseTier = z.enum(USE_CASE_TIERS);
export type UseCaseStatus = z.infer<typeof useCaseStatus>;
export type UseCaseTier = z.infer<typeof useCaseTier>;

const annexIIIArea = z
  .string()
  .regex(/^EU-AI-ACT:AnnexIII\.[1-8]$/, 'an Annex III area uid, EU-AI-ACT:AnnexIII.1 to .8');
const line = (max: number) => z.string().trim().min(1).max(max);

/** The intake fields; the rules across fields (`none` alone, an area exactly when high) answer 400 usecase_invalid. */
const intakeFields = {
  name: line(200),
  purpose: line(4000),
  /** The user id of an org member accountable for the case. */
  ownerId: z.string().min(1).max(200),
  businessUnit: line(200),
  usersAffected: line(1000),
  dataCategories: z
    .array(z.enum(USE_CASE_DATA_CATEGORIES))
    .min(1)
    .max(6)
    .refine((c) => !c.includes('none') || c.length === 1, '"none" stands alone'),
  models: z.array(z.strictObject({ vendor: line(100), model: line(200) })).max(20),
  autonomy: z.enum(USE_CASE_AUTONOMY_LEVELS),
  deploymentContext: z.enum(USE_CASE_DEPLOYMENT_CONTEXTS),
  riskTier: useCaseTier.nullable(),
  annexIIIArea: annexIIIArea.nullable(),
};

/** `POST /api/use-cases`: the tier may wait for a suggestion (null until set). */
export const createUseCaseBody = z.strictObject({
  ...intakeFields,
  riskTier: intakeFields.riskTier.default(null),
  annexIIIArea: intakeFields.annexIIIArea.default(null),
});
export type CreateUseCaseBody = z.input<typeof createUseCaseBody>;

/** `PATCH /api/use-cases/:id`: any intake fields; the ones whose value changes are recorded. */
export const updateUseCaseBody = z
  .strictObject(intakeFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type UpdateUseCaseBody = z.input<typeof updateUseCaseBody>;

export const transitionUseCaseBody = z.strictObject({
  to: useCaseStatus,
  note: z.string().trim().max(2000).optional(),
});
export type TransitionUseCaseBody = z.input<typeof transitionUseCaseBody>;

/** `POST /api/use-cases/:id/suggest-tier`: the demo model answers when neither is given. */
export const suggestTierBody = z.strictObject({
  provider: z.string().min(1).max(60).optional(),
  model: z.string().min(1).max(200).optional(),
});
export type SuggestTierBody = z.input<typeof suggestTierBody>;

export const confirmTierBody = z.strictObject({
  /** The suggestion to confirm, by the skill run that made it. */
  runId: z.string().min(1).max(200),
  /** For a high tier, which area applies; the first suggested one when absent. */
  annexIIIArea: annexIIIArea.optional(),
});
export type ConfirmTierBody = z.input<typeof confirmTierBody>;

export const useCaseParams = z.strictObject({ id: z.string().min(1).max(200) });

export const useCaseListQuery = z.strictObject({
  status: useCaseStatus.optional(),
  tier: useCaseTier.optional(),
  /** The `next` of the previous page. */
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type UseCaseListQuery = z.input<typeof useCaseListQuery>;

export const useCaseHistoryQuery = z.strictObject({
  /** The `next` of the previous page: the org sequence number of its last entry. */
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'the `next` of the previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type UseCaseHistoryQuery = z.input<typeof useCaseHistoryQuery>;

export const useCaseRunsQuery = z.strictObject({
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type UseCaseRunsQuery = z.input<typeof useCaseRunsQuery>;

const intakeOut = {
  name: z.string(),
  purpose: z.string(),
  ownerId: z.string(),
  businessUnit: z.string(),
  usersAffected: z.string(),
  dataCategories: z.array(z.string()),
  models: z.array(z.object({ vendor: z.string(), model: z.string() })),
  autonomy: z.string(),
  deploymentContext: z.string(),
  riskTier: useCaseTier.nullable(),
  annexIIIArea: z.string().nullable(),
};

/** A case as the list shows it. */
export const useCaseSummary = z.object({
  id: z.string(),
  status: useCaseStatus,
  name: z.string(),
  ownerId: z.string(),
  businessUnit: z.string(),
  riskTier: useCaseTier.nullable(),
  annexIIIArea: z.string().nullable(),
  runs: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UseCaseSummary = z.infer<typeof useCaseSummary>;

export const useCaseList = z.object({ useCases: z.array(useCaseSummary), next: z.string().nullable() });
export type UseCaseList = z.infer<typeof useCaseList>;

export const tierSuggestion = z.object({
  runId: z.string(),
  tier: useCaseTier,
  annexIIIAreas: z.array(z.string()),
  confidence: z.number(),
  confirmed: z.boolean(),
});
export type TierSuggestion = z.infer<typeof tierSuggestion>;

/** `GET /api/use-cases/:id`: the case as its events leave it now. */
export const useCaseDetail = z.object({
  id: z.string(),
  status: useCaseStatus,
  ...intakeOut,
  /** Who submitted or edited it during its current review: none of them may approve it. */
  reviewAuthors: z.array(z.string()),
  suggestions: z.array(tierSuggestion),
  version: z.number().int(),
});
export type UseCaseDetail = z.infer<typeof useCaseDetail>;

/** One run that named the case, with its cost (its own and its nested runs') and outcome. */
export const useCaseRun = z.object({
  runId: z.string(),
  kind: z.string(),
  name: z.string().nullable(),
  /** `running` until the run ends. */
  status: z.string(),
  error: z.string().nullable(),
  costMicros: z.number().int().nonnegative(),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
});
export type UseCaseRun = z.infer<typeof useCaseRun>;

export const useCaseRuns = z.object({
  runs: z.array(useCaseRun),
  /** Over every run of the case, not only this page. */
  totalCostMicros: z.number().int().nonnegative(),
  next: z.string().nullable(),
});
export type UseCaseRuns = z.infer<typeof useCaseRuns>;

/** The answer of a tier suggestion; `rationale` is shown, not recorded (the run's output is known by its hash). */
export const tierSuggestionResult = z.object({
  runId: z.string(),
  tier: useCaseTier,
  annexIIIAreas: z.array(z.string()),
  confidence: z.number(),
  rationale: z.string(),
  costMicros: z.number().int().nonnegative(),
});
export type TierSuggestionResult = z.infer<typeof tierSuggestionResult>;

/** One entry of `GET /api/use-cases/:id/history`: what happened to the case, by whom, in log order. */
export const useCaseHistoryEntry = z.object({
  seq: z.number().int(),
  time: z.string(),
  type: z.string(),
  actor: z.object({ kind: z.string(), id: z.string() }),
  /** For edits: the fields changed. */
  changed: z.array(z.string()).optional(),
  /** For moves: from, to, the note and why. */
  from: useCaseStatus.optional(),
  to: useCaseStatus.optional(),
  note: z.string().optional(),
  reason: z.string().optional(),
  /** For tier suggestions and confirmations. */
  tier: useCaseTier.optional(),
  runId: z.string().optional(),
});
export type UseCaseHistoryEntry = z.infer<typeof useCaseHistoryEntry>;

export const useCaseHistory = z.object({
  entries: z.array(useCaseHistoryEntry),
  /** The `after` of the next page, or null on the last. */
  next: z.string().nullable(),
});
export type UseCaseHistory = z.infer<typeof useCaseHistory>;
