import { type PolicyDocument, policyDocumentSchema } from './schema.js';

/** A policy document that failed validation; `issues` name the offending fields (`blockedPatterns.2.pattern`). */
export class InvalidPolicyError extends Error {
  readonly code = 'invalid_policy';
  readonly status = 400;
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

/** Validates an untrusted policy document (JSON from the API) and fills in defaults. */
export function parsePolicy(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidPolicyError(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    })),
  );
}
