import { z } from 'zod';
import { hex64, id, usdMicros } from './schemas.js';
import { skillIdPattern } from './skills.js';

const skill = z.string().max(100).regex(skillIdPattern);
/** A capsule is named by the SHA-256 of its text, so an event naming it names its hash too. */
const capsuleId = hex64;
/** The person accountable: a user id, or for an org API key the user who created it. */
const person = id;
const geneText = z.string().min(1).max(400);
const origin = z.enum(['dream', 'parallel-universe', 'person']);
const eventIds = z.array(id).max(50);
const verdicts = z.strictObject({
  wins: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
  ties: z.number().int().nonnegative(),
});
/** One replayed input: how each capsule's answer fared, and the pairwise verdict for the candidate. */
/** `l4`: the L4 judge's score of the answer (its weakest dimension, 1–5), null when no judge gave one. */
const answerScore = z.strictObject({
  valid: z.boolean(),
  passed: z.number().int().nonnegative(),
  l4: z.number().int().min(1).max(5).nullable().optional(),
});
const replayCase = z.strictObject({
  name: z.string().min(1).max(200),
  candidate: answerScore,
  active: answerScore,
  assertions: z.number().int().nonnegative(),
  verdict: z.enum(['win', 'loss', 'tie']),
});

/**
 * Self-evolution of skills' system prompts (docs/evolution.md). Genes and capsules of one skill share the
 * subject `evolution/<skill>`, so one expected version orders every proposal, approval and activation of
 * the skill: of two racing activations one is decided on the other's outcome, and one capsule is active.
 */
export const evolutionEvents = {
  'cp.evolution.gene.proposed': z.strictObject({
    geneId: id,
    skill,
    text: geneText,
    rationale: z.string().min(1).max(2000),
    /** The events that motivate the gene: signals a dream drew on, or those a person cited. */
    motivatingEventIds: eventIds,
    /** The runs those events belong to, where they belong to one: where a reader finds them. */
    evidenceRunIds: z.array(id).max(50).optional(),
    origin,
    /** The person who proposed it; null when a dream did. */
    proposedBy: person.nullable(),
  }),
  /** A sandbox replay of the gene's candidate capsule against the active one, attached to the proposal. */
  'cp.evolution.gene.replayed': z.strictObject({
    geneId: id,
    skill,
    candidateCapsuleId: capsuleId,
    /** The capsule compared against; null: the skill's base prompt. */
    activeCapsuleId: capsuleId.nullable(),
    /** The judge that decided the pairs, e.g. `schema+eval-cases`. */
    judge: z.string().min(1).max(60),
    /** Where the inputs came from: the log's recorded inputs, or the skill's eval cases. */
    inputs: z.enum(['recorded', 'eval-cases']),
    /** How many inputs were recorded runs' masked inputs, and how many eval cases filled up to K. */
    recordedInputs: z.number().int().nonnegative().optional(),
    evalCaseInputs: z.number().int().nonnegative().optional(),
    /** The runs whose recorded inputs were replayed; their text is never copied into the log. */
    recordedRunIds: z.array(id).max(50).optional(),
    ...verdicts.shape,
    costMicros: usdMicros,
    cases: z.array(replayCase).max(50),
  }),
  /** Approving a gene composes the next capsule (`capsuleId`), which is not active until activated. */
  'cp.evolution.gene.approved': z.strictObject({ geneId: id, skill, by: person, capsuleId }),
  'cp.evolution.gene.rejected': z.strictObject({
    geneId: id,
    skill,
    by: person,
    reason: z.string().max(500).optional(),
  }),
  /**
   * A gene left the skill's composition: by a person, or by the loop's `stale_after_days` rule when no
   * capsule holding it answered a run for that long. `capsuleId` is the next capsule, without the gene.
   */
  'cp.evolution.gene.deprecated': z.strictObject({
    geneId: id,
    skill,
    rule: z.enum(['person', 'stale_after_days']),
    by: person.nullable(),
    staleAfterDays: z.number().int().positive().optional(),
    /** The last run any capsule holding the gene answered, or the approval when none did. */
    lastUsedAt: z.iso.datetime().optional(),
    capsuleId,
  }),
  /** A composition seen for the first time: the base prompt and the approved genes, in approval order. */
  'cp.evolution.capsule.created': z.strictObject({
    capsuleId,
    skill,
    text: z.string().min(1).max(100_000),
    genes: z.array(id).max(200),
    /** The capsule this one was composed after (the skill's latest before it); null for the first. */
    previousCapsuleId: capsuleId.nullable(),
  }),
  /** The one active capsule of (org, skill) from now on; rollback is activating an older one. */
  'cp.evolution.capsule.activated': z.strictObject({
    capsuleId,
    skill,
    previousCapsuleId: capsuleId.nullable(),
    by: person,
  }),
  /** The org's evolution settings, on subject `settings/evolution`; an admin changes them. */
  'cp.evolution.settings.updated': z.strictObject({
    dreamsEnabled: z.boolean(),
    dreamIntervalMinutes: z.number().int().min(5).max(10_080),
    maxOpenProposals: z.number().int().min(1).max(20),
    /** Null: approved genes are never deprecated for disuse. */
    staleAfterDays: z.number().int().min(1).max(3650).nullable(),
    replayInputs: z.number().int().min(1).max(20),
    /** `provider/model` that dreams and replays call; null: the offline `demo/demo`. */
    model: z.string().min(1).max(200).nullable(),
    /**
     * The evolution budget line: what dreams and replays may cost per calendar month (UTC), in dollars.
     * Absent on settings recorded before the line existed, which read as the default.
     */
    monthlyBudgetUsd: z.number().min(0).max(100_000).optional(),
    /** How many masked skill inputs are kept per skill for replays, and for how many days; absent reads as the default. */
    replayKeepRuns: z.number().int().min(0).max(1000).optional(),
    replayKeepDays: z.number().int().min(1).max(3650).optional(),
  }),
  /** The month's evolution spend reached its line (subject `evolution-budget/<month>`); recorded once a month. */
  'cp.evolution.budget.capped': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    spentMicros: usdMicros,
    budgetMicros: usdMicros,
  }),
  /** A process took the org's dream lease (subject `dreams/evolution`) until `leaseUntil`. */
  'cp.evolution.dream.started': z.strictObject({
    dreamId: id,
    startedAt: z.iso.datetime(),
    leaseUntil: z.iso.datetime(),
  }),
  'cp.evolution.dream.completed': z.strictObject({
    dreamId: id,
    skills: z.number().int().nonnegative(),
    signals: z.number().int().nonnegative(),
    proposed: z.number().int().nonnegative(),
    deprecated: z.number().int().nonnegative(),
    costMicros: usdMicros,
  }),
} as const;
