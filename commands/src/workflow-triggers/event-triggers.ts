import type { EventEnvelope } from '@proofpane/core';
import type { PinnedWorkflow } from '../workflow-runs/decide.js';
import { derivedRunId } from './hook-signature.js';

/** A published version whose trigger starts it when the org records an event of a type. */
export interface EventTriggeredWorkflow {
  org: string;
  workflow: PinnedWorkflow;
  eventType: string;
}

/**
 * The runs an event starts. Events recorded inside a run (carrying `meta.runId`) and the workflow engine's
 * own events start nothing, so no workflow can start itself in a loop. The input is the event as the
 * audit log shows it; the run id comes from the workflow and the event, so each event starts a run once.
 */
export function runsForEvent(
  triggers: readonly EventTriggeredWorkflow[],
  event: EventEnvelope,
): { org: string; workflow: PinnedWorkflow; runId: string; input: unknown }[] {
  if (event.meta?.runId || event.type.startsWith('cp.workflow.') || event.type.startsWith('cp.run.'))
    return [];
  return triggers
    .filter((t) => t.org === event.org && t.eventType === event.type)
    .map((t) => ({
      org: t.org,
      workflow: t.workflow,
      runId: derivedRunId('event', t.org, t.workflow.id, event.id),
      input: {
        event: {
          id: event.id,
          type: event.type,
          subject: event.subject,
          seq: event.seq,
          time: event.time,
          actor: event.actor,
          data: event.data,
        },
      },
    }));
}
