import safeRegex from 'safe-regex2';
import { z } from 'zod';
import { ENTITY_TYPES } from '../dlp/types.js';

/** What the gate does with a DLP finding of a given type. */
export const dlpActionSchema = z.enum(['allow', 'mask', 'block', 'hitl']);
export type DlpAction = z.infer<typeof dlpActionSchema>;

const globList = z.array(z.string().min(1).max(200)).max(500);
const dlpRules = z.partialRecord(z.enum(ENTITY_TYPES), dlpActionSchema);

/** A new org's DLP: personal data masked before it leaves, credentials blocked outright. */
export const DEFAULT_DLP_RULES = {
  EMAIL: 'mask',
  PHONE: 'mask',
  CREDIT_CARD: 'mask',
  IBAN: 'mask',
  US_SSN: 'mask',
  IP_ADDRESS: 'mask',
  JWT: 'block',
  PRIVATE_KEY: 'block',
  API_SECRET: 'block',
} as const satisfies Partial<Record<(typeof ENTITY_TYPES)[number], DlpAction>>;
const REGEX_FLAGS = /^[imsu]*$/;

const blockedPatternSchema = z
  .object({
    name: z.string().min(1).max(100),
    pattern: z.string().min(1).max(500),
    flags: z.string().regex(REGEX_FLAGS, 'only the flags i, m, s and u are allowed').default('i'),
  })
  .superRefine((value, ctx) => {
    try {
      new RegExp(value.pattern, value.flags);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `blocked pattern "${value.name}" is not a valid regular expression: ${(error as Error).message}`,
      });
      return;
    }
    if (!safeRegex(value.pattern)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `blocked pattern "${value.name}" may backtrack catastrophically (nested or overlapping quantifiers)`,
      });
    }
  });

/** Overrides for one agent (e.g. `code_agent`, `hr_agent`); anything left out falls back to the org-wide value. */
export const agentScopeSchema = z.strictObject({
  providers: globList.optional(),
  models: globList.optional(),
  tools: globList.optional(),
  maxTokens: z.int().positive().optional(),
  dlp: dlpRules.optional(),
  hitlTools: globList.optional(),
});
export type AgentScope = z.infer<typeof agentScopeSchema>;

/**
 * The per-org runtime policy document (stored as an event, edited over the API). Provider, model and tool
 * lists are glob patterns (`*`, `?`); a model pattern containing `/` is matched against `provider/model`.
 */
export const policyDocumentSchema = z.strictObject({
  providers: globList.default(['*']),
  models: globList.default(['*']),
  tools: globList.default(['*']),
  maxTokens: z.int().positive().optional(),
  agents: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'agent names are lower-case identifiers'),
      agentScopeSchema,
    )
    .default({}),
  blockedPatterns: z.array(blockedPatternSchema).max(200).default([]),
  // Omitting `dlp` keeps the safe default (mask personal data, block secrets); `{}` turns DLP off.
  dlp: dlpRules.default(DEFAULT_DLP_RULES),
  hitl: z
    .strictObject({
      tools: globList.default([]),
      timeoutSeconds: z
        .int()
        .min(10)
        .max(7 * 24 * 3600)
        .default(900),
    })
    .default({ tools: [], timeoutSeconds: 900 }),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;
