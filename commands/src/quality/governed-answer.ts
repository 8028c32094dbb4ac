import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { callSubject } from '../gateway/call-failed.js';
import { capForEvent, checkText, type L3Result } from './check.js';

/**
 * L3 on a governed answer outside skills (an org's `quality.l3.governedAnswers`): the answer's cited ids,
 * recorded on the call's own subject after its outcome, in the call's run when it has one. The answer
 * itself is never stored here, only what it cites.
 */
export async function recordGovernedAnswerCheck(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  requestId: string;
  text: string;
  runId?: string | undefined;
}): Promise<{ result: L3Result; event: EventEnvelope | undefined }> {
  const result = checkText({ text: options.text });
  const [event] = await options.store.append({
    org: options.org,
    events: [
      {
        type: 'cp.quality.l3.checked',
        subject: callSubject(options.requestId),
        actor: options.actor,
        data: { requestId: options.requestId, attempt: 1, ...capForEvent(result) },
        ...(options.runId ? { meta: { runId: options.runId } } : {}),
      },
    ],
  });
  return { result, event };
}
