import { z } from 'zod';
import { dlpSummary } from './dlp.js';
import { POLICY_DECISIONS } from './vocabulary.js';

export { POLICY_DECISIONS };

/** `GET /api/policy` and `PUT /api/policy`: the org's policy document and its version. */
export const policyView = z.object({
  version: z.number().int(),
  document: z.record(z.string(), z.unknown()),
});
export type PolicyView = z.infer<typeof policyView>;

/** `PUT /api/policy` takes a whole document; the server checks it against the policy schema. */
export const policyDocumentBody = z.record(z.string(), z.unknown());

export const policyEvaluateBody = z.object({
  model: z.string().min(1).max(200),
  agent: z.string().max(100).optional(),
  maxTokens: z.number().int().positive().optional(),
  tools: z.array(z.string().min(1).max(200)).max(500).optional(),
  system: z.string().optional(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant', 'system']), content: z.string() })).min(1),
});
export type PolicyEvaluateBody = z.input<typeof policyEvaluateBody>;

export const policyDecision = z.enum(POLICY_DECISIONS);
export type PolicyDecision = z.infer<typeof policyDecision>;

/** `POST /api/policy/evaluate`: what the gate would decide, and the texts as the provider would see them. */
export const policyEvaluation = z.object({
  policyVersion: z.number().int(),
  provider: z.string(),
  model: z.string(),
  decision: policyDecision,
  code: z.enum(['policy_blocked', 'dlp_blocked', 'hitl_required']).optional(),
  reason: z.string(),
  scope: z.string(),
  rulesMatched: z.array(z.string()),
  dlp: dlpSummary,
  maskedTexts: z.array(z.string()),
});
export type PolicyEvaluation = z.infer<typeof policyEvaluation>;
