import type { AuditEvent, PolicyEvaluation } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { maskingView, missingKeyProvider } from './masking';

const event = (type: string, data: Record<string, unknown>) => ({ type, data }) as unknown as AuditEvent;
const evaluation = (policyVersion: number) =>
  ({ policyVersion, maskedTexts: ['earlier', 'Mail <EMAIL_1> today'] }) as unknown as PolicyEvaluation;

describe('the masking the Playground shows beside an answer', () => {
  it('takes the counts from the call’s own gate event and the masked last message from the dry run', () => {
    const events = [
      event('cp.gate.policy.decided', { policyVersion: 3, dlp: { EMAIL: 1, PHONE: 0 } }),
      event('cp.llm.call.completed', {}),
    ];
    expect(maskingView({ events, evaluation: evaluation(3) })).toEqual({
      maskedPrompt: 'Mail <EMAIL_1> today',
      recorded: 'EMAIL ×1',
      policyVersion: 3,
      sameVersion: true,
    });
    expect(maskingView({ events, evaluation: evaluation(4) })?.sameVersion).toBe(false);
  });

  it('has nothing to show before the gate event is read', () => {
    expect(maskingView({ events: [], evaluation: evaluation(1) })).toBeNull();
  });

  it('finds the provider a missing-key refusal names', () => {
    expect(
      missingKeyProvider('provider "openai" has no key: set one with PUT /api/provider-keys/openai'),
    ).toBe('openai');
    expect(missingKeyProvider('budget exceeded')).toBeNull();
  });
});
