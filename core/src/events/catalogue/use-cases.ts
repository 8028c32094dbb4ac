import { z } from 'zod';
import { controlCatalogue } from '../../controls/controls.js';
import { id } from './schemas.js';

export const USE_CASE_STATUSES = ['draft', 'in_review', 'approved', 'retired'] as const;
export const USE_CASE_TIERS = ['prohibited', 'high', 'limited', 'minimal'] as const;
/** `none` stands alone: a case that handles no such data names nothing else. */
export const USE_CASE_DATA_CATEGORIES = [
  'personal',
  'special_category',
  'children',
  'financial',
  'health',
  'none',
] as const;
/** How far the system acts on its own, from suggesting to acting unsupervised. */
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

/** The EU AI Act Annex III areas, by their uid in the control catalogue (`EU-AI-ACT:AnnexIII.4`). */
export const ANNEX_III_AREA_UIDS: readonly string[] = controlCatalogue.frameworks
  .flatMap((f) => f.controls)
  // `kind` is in the data, not (yet) in the Control type.
  .filter((c) => (c as { kind?: string }).kind === 'annex-iii-area')
  .map((c) => c.uid);

const annexIIIArea = z
  .string()
  .refine((uid) => ANNEX_III_AREA_UIDS.includes(uid), 'an Annex III area uid of the control catalogue');

const useCaseId = id;
const note = z.string().max(2000);
/**
 * The person accountable for the change: the user, or for an org API key the user who created it. Kept
 * in the data so that the four-eyes rule folds from the case's facts alone.
 */
const by = id;

/** The intake fields a person edits; each `cp.usecase.updated` names the ones it changed. */
export const useCaseFields = {
  name: z.string().min(1).max(200),
  purpose: z.string().min(1).max(4000),
  /** The user id of the org member accountable for the case. */
  ownerId: id,
  businessUnit: z.string().min(1).max(200),
  usersAffected: z.string().min(1).max(1000),
  dataCategories: z.array(z.enum(USE_CASE_DATA_CATEGORIES)).min(1).max(6),
  models: z
    .array(z.strictObject({ vendor: z.string().min(1).max(100), model: z.string().min(1).max(200) }))
    .max(20),
  autonomy: z.enum(USE_CASE_AUTONOMY_LEVELS),
  deploymentContext: z.enum(USE_CASE_DEPLOYMENT_CONTEXTS),
  /** Null until a person sets or confirms it. */
  riskTier: z.enum(USE_CASE_TIERS).nullable(),
  /** Set exactly when the tier is `high`. */
  annexIIIArea: annexIIIArea.nullable(),
} as const;

export const USE_CASE_FIELD_NAMES = Object.keys(useCaseFields) as (keyof typeof useCaseFields)[];
/** Changing one of these on an approved case sends it back to review (docs/decisions/0020). */
export const USE_CASE_MATERIAL_FIELDS = ['riskTier', 'annexIIIArea', 'dataCategories', 'models'] as const;

const intake = z.strictObject(useCaseFields);

/**
 * AI use cases, one subject `usecase/<id>`: the intake, every edit with the names of the fields it
 * changed, the lifecycle (draft → in_review → approved → retired, in_review → draft), and the EU AI Act
 * tier a skill run suggested and the one a person confirmed. Free text stays in the org's own log; the
 * suggestion's rationale does not (it is the skill run's output, known there by its hash).
 */
export const useCaseEvents = {
  'cp.usecase.registered': z.strictObject({ useCaseId, ...intake.shape }),
  'cp.usecase.updated': z.strictObject({
    useCaseId,
    changed: z.array(z.enum(USE_CASE_FIELD_NAMES as [string, ...string[]])).min(1),
    /** The new values of the changed fields only. */
    values: intake.partial(),
    by,
  }),
  'cp.usecase.transitioned': z.strictObject({
    useCaseId,
    from: z.enum(USE_CASE_STATUSES),
    to: z.enum(USE_CASE_STATUSES),
    note: note.optional(),
    /** Why the system moved it, when no person asked: `material_change` for an approved case edited. */
    reason: z.enum(['requested', 'material_change']),
    by,
  }),
  'cp.usecase.tier_suggested': z.strictObject({
    useCaseId,
    /** The `risk.eu_ai_act_tier` skill run that answered. */
    runId: id,
    skillVersion: z.string().min(1).max(40),
    tier: z.enum(USE_CASE_TIERS),
    annexIIIAreas: z.array(annexIIIArea).max(8),
    confidence: z.number().min(0).max(1),
  }),
  'cp.usecase.tier_confirmed': z.strictObject({
    useCaseId,
    /** The suggestion confirmed, by its run. */
    runId: id,
    tier: z.enum(USE_CASE_TIERS),
    annexIIIArea: annexIIIArea.nullable(),
    by,
  }),
} as const;
