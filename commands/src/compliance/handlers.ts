import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { type OverrideCommand, overrideDecider } from './decide.js';
import { overrideSubject } from './facts.js';

/**
 * A mapping-override command, folded and appended at the version read, so of two admins racing to
 * approve and reject the same override one wins. The read side is the compliance projection.
 */
export const handleOverrideCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: OverrideCommand;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: overrideSubject(options.command.overrideId),
    decider: overrideDecider,
    command: options.command,
    actor: options.actor,
  });
