import type { Actor, EventEnvelope, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand, toNewEvents } from '../kit/decider.js';
import { type IntegrationCommand, integrationDecider } from './decide.js';
import { type IntegrationAccessFact, integrationSubject } from './facts.js';

/** A connection command, folded and appended at the version read; `inline` writes its row in the same commit. */
export const handleIntegrationCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: IntegrationCommand;
  inline?: InlineWrite | undefined;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: integrationSubject(options.command.connectionId),
    decider: integrationDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });

/**
 * Records reads and writes of an external system on the connection's subject. No expected version: access
 * facts change no decision, so they never race a lifecycle command.
 */
export async function recordIntegrationAccess(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  connectionId: string;
  facts: readonly IntegrationAccessFact[];
  meta?: Record<string, string>;
  inline?: InlineWrite | undefined;
}): Promise<EventEnvelope[]> {
  if (options.facts.length === 0) return [];
  return options.store.append({
    org: options.org,
    events: toNewEvents({
      facts: options.facts,
      subject: integrationSubject(options.connectionId),
      actor: options.actor,
      ...(options.meta ? { meta: options.meta } : {}),
    }),
    ...(options.inline ? { inline: options.inline } : {}),
  });
}
