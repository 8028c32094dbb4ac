import type { Actor, EventEnvelope, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand, toNewEvents } from '../kit/decider.js';
import { type HitlCommand, hitlDecider, type RequestCommand } from './decide.js';
import { hitlSubject, PRECEDENTS_ACTOR, TIMEOUT_ACTOR } from './facts.js';

interface Base {
  store: EventStore;
  org: string;
  /** The queue rows the decided events imply, written in the append's transaction. */
  inline?: InlineWrite | undefined;
}

/**
 * Opens a request under a fresh id, with its auto-approval when precedents support it. The
 * approval is attributed to the precedents, the request to whoever asked, so this appends itself
 * rather than through `handleCommand` (one actor per append). A new id has nothing to fold;
 * expecting version 0 still refuses a reused one.
 */
export async function requestApproval(
  options: Base & { actor: Actor; meta?: Record<string, string>; command: RequestCommand },
): Promise<EventEnvelope[]> {
  const { store, org, command } = options;
  const subject = hitlSubject(command.requestId);
  const facts = hitlDecider.decide(command, hitlDecider.initialState());
  const meta = options.meta ? { meta: options.meta } : {};
  return store.append({
    org,
    events: facts.flatMap((fact) =>
      toNewEvents({
        facts: [fact],
        subject,
        actor: fact.type === 'cp.hitl.resolved' ? PRECEDENTS_ACTOR : options.actor,
        ...meta,
      }),
    ),
    expectedVersions: { [subject]: 0 },
    ...(options.inline ? { inline: options.inline } : {}),
  });
}

type Later = Exclude<HitlCommand, RequestCommand>;

/**
 * A decision, a use, a revocation or a default denial on an existing request, folded and appended at
 * the version read: of two racing approvers one wins and the other is refused on the fresher state.
 */
export const handleHitlCommand = (options: Base & { actor: Actor; command: Later }) =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: hitlSubject(options.command.requestId),
    decider: hitlDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });

/** The timeout sweep's denial; `[]` when a decision got there first. */
export const expireApproval = (options: Base & { requestId: string }) =>
  handleHitlCommand({
    ...options,
    actor: TIMEOUT_ACTOR,
    command: { type: 'expire', requestId: options.requestId },
  });
