import type { Actor, EventStore } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { workflowRunDecider } from './decide.js';
import { runSubject } from './facts.js';

/**
 * Cancels a run: `cp.run.completed` with status `cancelled`, appended at the version read, so it lands once
 * and a worker holding the run fails its next append and stops. Refused when the run is unknown or over.
 */
export const cancelWorkflowRun = (options: {
  store: EventStore;
  org: string;
  runId: string;
  actor: Actor;
  reason?: string | undefined;
}) =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: runSubject(options.runId),
    decider: workflowRunDecider,
    command: {
      type: 'cancel',
      reason: options.reason ?? `cancelled by ${options.actor.kind} ${options.actor.id}`,
    },
    actor: options.actor,
    meta: { runId: options.runId },
  });
