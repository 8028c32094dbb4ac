import { z } from 'zod';

/** Routes of self-evolution (docs/evolution.md): genes, capsules, replays, dreams and their settings. */
export const GENE_STATUSES = ['proposed', 'approved', 'rejected', 'deprecated'] as const;
export const geneStatus = z.enum(GENE_STATUSES);
export const GENE_ORIGINS = ['dream', 'parallel-universe', 'person'] as const;
/** The longest gene text: one short instruction. */
export const GENE_MAX_CHARS = 400;

const noNul = (s: string) => !s.includes('\u0000');
const evolvableSkillId = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$/, 'a skill id, `category.name`');
const eventId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'an event id');

export const geneParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'a gene id'),
});
export const capsuleParams = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{64}$/, 'a capsule id: the SHA-256 of its text, 64 hex digits'),
});

export const genesQuery = z.strictObject({
  skill: evolvableSkillId.optional(),
  status: geneStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type GenesQuery = z.input<typeof genesQuery>;

export const proposeGeneBody = z.strictObject({
  skill: evolvableSkillId,
  text: z.string().trim().min(1).max(GENE_MAX_CHARS).refine(noNul, 'remove the NUL characters'),
  rationale: z.string().trim().min(1).max(2000).refine(noNul, 'remove the NUL characters'),
  /** Events of the org's log that motivate the gene. */
  motivatingEventIds: z.array(eventId).max(50).default([]),
});
export type ProposeGeneBody = z.input<typeof proposeGeneBody>;

export const rejectGeneBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).refine(noNul, 'remove the NUL characters').optional(),
  })
  .default({});
export const emptyBody = z.strictObject({}).default({});

export const replayGeneBody = z
  .strictObject({
    /** How many inputs to replay; the org's `replayInputs` setting by default. */
    inputs: z.number().int().min(1).max(20).optional(),
  })
  .default({});

/** `l4`: the L4 judge's score (1–5) when the org's L4 judge judged the replay; null when it failed. */
const answerScore = z.strictObject({
  valid: z.boolean(),
  passed: z.number().int(),
  l4: z.number().int().nullable().optional(),
});
const replayCase = z.strictObject({
  name: z.string(),
  candidate: answerScore,
  active: answerScore,
  assertions: z.number().int(),
  verdict: z.enum(['win', 'loss', 'tie']),
});
export const geneReplay = z.strictObject({
  candidateCapsuleId: z.string(),
  activeCapsuleId: z.string().nullable(),
  judge: z.string(),
  inputs: z.enum(['recorded', 'eval-cases']),
  /** How many inputs came from recorded runs and how many from eval cases (absent on older replays). */
  recordedInputs: z.number().int().optional(),
  evalCaseInputs: z.number().int().optional(),
  recordedRunIds: z.array(z.string()).optional(),
  wins: z.number().int(),
  losses: z.number().int(),
  ties: z.number().int(),
  costMicros: z.number().int(),
  cases: z.array(replayCase),
  at: z.string().optional(),
});
export type GeneReplay = z.infer<typeof geneReplay>;

export const gene = z.strictObject({
  id: z.string(),
  skill: z.string(),
  text: z.string(),
  rationale: z.string(),
  origin: z.enum(GENE_ORIGINS),
  status: geneStatus,
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
  motivatingEventIds: z.array(z.string()),
  /** The runs the motivating events belong to, where a reader finds them. */
  evidenceRunIds: z.array(z.string()),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  /** The capsule its approval composed. */
  capsuleId: z.string().nullable(),
  deprecatedRule: z.enum(['person', 'stale_after_days']).nullable(),
  deprecatedAt: z.string().nullable(),
  replay: geneReplay.nullable(),
});
export type Gene = z.infer<typeof gene>;
export const geneList = z.strictObject({ genes: z.array(gene) });
export type GeneList = z.infer<typeof geneList>;

export const capsulesQuery = z.strictObject({
  skill: evolvableSkillId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type CapsulesQuery = z.input<typeof capsulesQuery>;

export const capsuleSummary = z.strictObject({
  id: z.string(),
  skill: z.string(),
  genes: z.array(z.string()),
  previousCapsuleId: z.string().nullable(),
  createdAt: z.string(),
  active: z.boolean(),
  activatedAt: z.string().nullable(),
  activatedBy: z.string().nullable(),
  runs: z.number().int(),
  lastRunAt: z.string().nullable(),
});
export type CapsuleSummary = z.infer<typeof capsuleSummary>;
export const capsuleList = z.strictObject({
  capsules: z.array(capsuleSummary),
  activations: z.array(
    z.strictObject({
      skill: z.string(),
      capsuleId: z.string(),
      previousCapsuleId: z.string().nullable(),
      activatedBy: z.string(),
      activatedAt: z.string(),
    }),
  ),
});
export type CapsuleList = z.infer<typeof capsuleList>;

export const capsuleDetail = capsuleSummary.extend({
  text: z.string(),
  /** The capsule's genes, in the order its text holds them. */
  geneTexts: z.array(z.strictObject({ id: z.string(), text: z.string() })),
  /** A unified diff of the previous capsule's text to this one's; null for the first. */
  diff: z.string().nullable(),
  /** Skill runs this capsule answered, newest first. */
  recentRuns: z.array(z.strictObject({ runId: z.string(), startedAt: z.string(), status: z.string() })),
});
export type CapsuleDetail = z.infer<typeof capsuleDetail>;

export const evolutionSettings = z.strictObject({
  dreamsEnabled: z.boolean(),
  dreamIntervalMinutes: z.number().int().min(5).max(10_080),
  maxOpenProposals: z.number().int().min(1).max(20),
  staleAfterDays: z.number().int().min(1).max(3650).nullable(),
  replayInputs: z.number().int().min(1).max(20),
  /** `provider/model` dreams and replays call; null for the offline `demo/demo`. */
  model: z
    .string()
    .trim()
    .min(3)
    .max(200)
    .regex(/^[a-z-]+\/\S+$/, 'provider/model')
    .nullable(),
  /** What dreams and replays may cost per calendar month (UTC), in dollars; 5 when not given. */
  monthlyBudgetUsd: z.number().min(0).max(100_000).default(5),
  /** Masked skill inputs kept per skill for replays (0 keeps none) and their age limit in days. */
  replayKeepRuns: z.number().int().min(0).max(1000).default(50),
  replayKeepDays: z.number().int().min(1).max(3650).default(30),
});
export type EvolutionSettingsBody = z.infer<typeof evolutionSettings>;

export const evolvableSkillList = z.strictObject({
  skills: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      activeCapsuleId: z.string().nullable(),
      openProposals: z.number().int(),
    }),
  ),
});
export type EvolvableSkillList = z.infer<typeof evolvableSkillList>;

export const dreamResult = z.strictObject({
  dreamt: z.boolean(),
  skills: z.number().int(),
  signals: z.number().int(),
  proposed: z.number().int(),
  deprecated: z.number().int(),
  costMicros: z.number().int(),
});
export type DreamResult = z.infer<typeof dreamResult>;
