import { z } from 'zod';

/** A control uid, `<FRAMEWORK-PREFIX>:<native id>` (`EU-AI-ACT:Art.12`, `NIST-AI-RMF:MEASURE 2.8`). */
export const controlUid = z
  .string()
  .min(3)
  .max(100)
  .regex(/^[A-Z0-9-]+:[^:]+$/, 'a control uid such as EU-AI-ACT:Art.12 (framework prefix, colon, native id)');
const skillId = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$/, 'a skill id such as risk.eu_ai_act_tier');
const frameworkKey = z.string().min(2).max(60);
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const instant = z.iso.datetime({ offset: true });

export const complianceFramework = z.object({
  id: z.string(),
  /** The prefix of its control uids. */
  prefix: z.string(),
  name: z.string(),
  version: z.string(),
  count: z.number().int(),
  curatedCount: z.number().int(),
  sources: z.array(z.string()),
  notes: z.string().optional(),
});

export type ComplianceFramework = z.infer<typeof complianceFramework>;

export const frameworkList = z.object({
  /** The version of the shipped control catalogue these answers come from. */
  catalogueVersion: z.string(),
  frameworks: z.array(complianceFramework),
});
export type FrameworkList = z.infer<typeof frameworkList>;

export const controlListQuery = z.strictObject({
  framework: frameworkKey.optional(),
  curated: z.enum(['true', 'false']).optional(),
  /** The `next` of the previous page: the last uid shown. */
  after: z.string().max(100).optional(),
  limit: limit(500, 100),
});
export type ControlListQuery = z.input<typeof controlListQuery>;

export const controlSummary = z.object({
  uid: z.string(),
  id: z.string(),
  framework: z.string(),
  title: z.string(),
  group: z.string().optional(),
  curated: z.boolean(),
  /** Why it is among the curated controls for governing LLM calls and tool use. */
  curatedWhy: z.string().optional(),
});
export type ControlSummary = z.infer<typeof controlSummary>;

export const controlList = z.object({
  catalogueVersion: z.string(),
  controls: z.array(controlSummary),
  next: z.string().nullable(),
});
export type ControlList = z.infer<typeof controlList>;

export const coverageStatus = z.enum(['evidenced', 'mapped_without_evidence', 'not_mapped']);
export type CoverageStatus = z.infer<typeof coverageStatus>;

export const controlCoverage = z.object({
  /** `evidenced`: events evidence it; `mapped_without_evidence`: a skill or rule names it, nothing evidences it yet. */
  status: coverageStatus,
  count: z.number().int(),
  lastAt: z.string().nullable(),
  useCases: z.array(z.string()),
  /** Skills mapped to it now (shipped and by approved overrides). */
  skills: z.array(z.string()),
});

export const controlDetail = controlSummary.extend({
  catalogueVersion: z.string(),
  crosswalks: z.array(
    z.object({
      id: z.string(),
      topic: z.string(),
      controls: z.array(z.object({ uid: z.string(), title: z.string(), framework: z.string() })),
    }),
  ),
  rules: z.array(z.object({ id: z.string(), type: z.string(), why: z.string() })),
  coverage: controlCoverage,
});
export type ControlDetail = z.infer<typeof controlDetail>;

export const controlParams = z.object({ uid: controlUid });

export const coverageQuery = z.strictObject({ framework: frameworkKey });

export const coverageReport = z.object({
  framework: z.string(),
  catalogueVersion: z.string(),
  totals: z.object({
    evidenced: z.number().int(),
    mappedWithoutEvidence: z.number().int(),
    notMapped: z.number().int(),
  }),
  controls: z.array(
    controlCoverage.extend({
      uid: z.string(),
      id: z.string(),
      title: z.string(),
      curated: z.boolean(),
      /** Where the framework groups the control: the NIST function, the ISO clause, the SOC 2 criterion. */
      group: z.string().optional(),
    }),
  ),
});
export type CoverageReport = z.infer<typeof coverageReport>;

export const evidenceQuery = z
  .strictObject({
    from: instant.optional(),
    to: instant.optional(),
    /** The `next` of the previous page. */
    before: z.coerce.number().int().positive().optional(),
    limit: limit(500, 50),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

export const evidenceItem = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  time: z.string(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('rule'), rules: z.array(z.string()) }),
    z.object({ kind: z.literal('skill'), skill: z.string() }),
  ]),
  useCaseId: z.string().nullable(),
  runId: z.string().nullable(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const evidencePage = z.object({
  control: z.string(),
  items: z.array(evidenceItem),
  next: z.number().int().nullable(),
});
export type EvidencePage = z.infer<typeof evidencePage>;

export const evidencePackBody = z
  .strictObject({ from: instant.optional(), to: instant.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type EvidencePackBody = z.input<typeof evidencePackBody>;

export const mappingQuery = z.strictObject({
  skill: skillId.optional(),
  control: controlUid.optional(),
  /** The `next` of the previous page. */
  after: z.coerce.number().int().nonnegative().optional(),
  limit: limit(1000, 200),
});

export const mappingList = z.object({
  mappings: z.array(
    z.object({
      skill: z.string(),
      control: z.string(),
      /** `shipped`: the skill declares it; `override`: an approved override added it. */
      source: z.enum(['shipped', 'override']),
    }),
  ),
  next: z.number().int().nullable(),
});
export type MappingList = z.infer<typeof mappingList>;

export const overrideStatus = z.enum(['pending', 'approved', 'rejected']);

export const overrideBody = z.strictObject({
  skill: skillId,
  control: controlUid,
  action: z.enum(['add', 'remove']),
  reason: z.string().trim().min(3).max(1_000),
});
export type OverrideBody = z.input<typeof overrideBody>;

export const overrideDecisionBody = z.strictObject({ note: z.string().trim().min(1).max(1_000).optional() });

export const overrideListQuery = z.strictObject({
  skill: skillId.optional(),
  control: controlUid.optional(),
  status: overrideStatus.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: limit(200, 50),
});

export const mappingOverride = z.object({
  id: z.string(),
  skill: z.string(),
  control: z.string(),
  action: z.enum(['add', 'remove']),
  reason: z.string(),
  status: overrideStatus,
  proposedBy: z.string(),
  proposedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type MappingOverride = z.infer<typeof mappingOverride>;

export const overrideList = z.object({
  overrides: z.array(mappingOverride),
  next: z.number().int().nullable(),
});
export type OverrideList = z.infer<typeof overrideList>;
