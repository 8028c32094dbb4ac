import { dlpAction } from '@proofpane/api';
import { z } from 'zod';
import { ENTITY_TYPES } from '../dlp/types.js';
import { compileUserPattern, USER_PATTERN_MAX_PROGRAM } from './user-pattern.js';

/** What the gate does with a DLP finding of a given type. */
export const dlpActionSchema = dlpAction;
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
/** In-process tools a person approves unless the org's admin relaxes `hitl.localTools`. */
export const LOCAL_TOOLS_NEEDING_APPROVAL = ['bash', 'write', 'edit'] as const;

const REGEX_FLAGS = /^[imsu]*$/;

/**
 * A blocked pattern is a JavaScript-style regular expression run on RE2 (linear time): what RE2 cannot
 * run that way (backreferences, lookaround) is refused here, naming `blockedPatterns.N.pattern`.
 */
const blockedPatternSchema = z
  .object({
    name: z.string().min(1).max(100),
    pattern: z.string().min(1).max(500),
    flags: z
      .string()
      .regex(REGEX_FLAGS, 'only the flags i, m, s and u are allowed')
      .refine((f) => new Set(f).size === f.length, 'a flag is given twice')
      .default('i'),
  })
  .superRefine((value, ctx) => {
    try {
      compileUserPattern(value.pattern, value.flags);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `blocked pattern "${value.name}" cannot run on the linear-time (RE2) engine: ${(error as Error).message}`,
      });
    }
  });

/** Bounds the work of one evaluation: every blocked pattern runs over the whole text of a request. */
const BLOCKED_PATTERNS_MAX_PROGRAM = 10 * USER_PATTERN_MAX_PROGRAM;
const blockedPatternList = z
  .array(blockedPatternSchema)
  .max(200)
  .superRefine((patterns, ctx) => {
    let total = 0;
    for (const p of patterns) {
      try {
        total += compileUserPattern(p.pattern, p.flags).programSize();
      } catch {
        return; // already reported on the pattern itself
      }
    }
    if (total > BLOCKED_PATTERNS_MAX_PROGRAM) {
      ctx.addIssue({
        code: 'custom',
        message: `blocked patterns compile to ${total} RE2 instructions in all, more than ${BLOCKED_PATTERNS_MAX_PROGRAM}; merge or simplify them`,
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
  media: z.enum(['allow', 'block']).optional(),
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
  blockedPatterns: blockedPatternList.default([]),
  // Images and documents in a request: DLP reads only their text parts, so an org may keep media out.
  media: z.enum(['allow', 'block']).default('allow'),
  // Omitting `dlp` keeps the safe default (mask personal data, block secrets); `{}` turns DLP off.
  dlp: dlpRules.default(DEFAULT_DLP_RULES),
  hitl: z
    .strictObject({
      tools: globList.default([]),
      // Tools run in the server process: they change the org's workspace, so a person approves by default.
      localTools: globList.default([...LOCAL_TOOLS_NEEDING_APPROVAL]),
      timeoutSeconds: z
        .int()
        .min(10)
        .max(7 * 24 * 3600)
        .default(900),
    })
    .default({ tools: [], localTools: [...LOCAL_TOOLS_NEEDING_APPROVAL], timeoutSeconds: 900 }),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;
