import type { AuditEvent, PolicyEvaluation } from '@proofpane/api';

/** What a governed call showed the provider, put beside the restored answer in the Playground. */
export interface MaskingView {
  /** The last message as the provider received it: DLP placeholders in place of what was masked. */
  maskedPrompt: string;
  /** `EMAIL ×1, PHONE ×2`: the entity counts the call's own policy gate recorded (never values). */
  recorded: string;
  policyVersion: number;
  /** Whether the gate that passed the call ran the same policy version the masked text comes from. */
  sameVersion: boolean;
}

const counts = (dlp: Record<string, number> | undefined) =>
  Object.entries(dlp ?? {})
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${type} ×${n}`)
    .join(', ');

/**
 * The gateway records only entity types and counts for a call (`cp.gate.policy.decided` on
 * `call/<request id>`), never the masked text. The masked text comes from the policy dry run of the
 * same messages: the same DLP rules, and exact when the policy version matches the call's.
 */
export function maskingView(options: {
  events: readonly AuditEvent[];
  evaluation: PolicyEvaluation;
}): MaskingView | null {
  const gate = options.events.find((e) => e.type === 'cp.gate.policy.decided');
  if (!gate) return null;
  const data = gate.data as { dlp?: Record<string, number>; policyVersion?: number };
  const policyVersion = data.policyVersion ?? -1;
  return {
    maskedPrompt: options.evaluation.maskedTexts.at(-1) ?? '',
    recorded: counts(data.dlp),
    policyVersion,
    sameVersion: policyVersion === options.evaluation.policyVersion,
  };
}

/** The provider a gateway refusal asks to set a key for (`… set one with PUT /api/provider-keys/openai`). */
export function missingKeyProvider(message: string): string | null {
  return /has no key: set one with PUT \/api\/provider-keys\/([a-z-]+)/.exec(message)?.[1] ?? null;
}
