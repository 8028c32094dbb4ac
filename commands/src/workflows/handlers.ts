import type { Actor, EventEnvelope, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { type WorkflowCommand, workflowDecider } from './decide.js';
import { workflowSubject } from './facts.js';

/**
 * A workflow command, folded and appended at the version read, so of two racing publishes one wins;
 * `inline` writes the read-model rows the events imply in the append's transaction.
 */
export const handleWorkflowCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: WorkflowCommand;
  inline?: InlineWrite | undefined;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: workflowSubject(options.command.workflowId),
    decider: workflowDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });
