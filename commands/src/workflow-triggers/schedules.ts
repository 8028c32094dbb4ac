import { Cron } from 'croner';
import type { PinnedWorkflow } from '../workflow-runs/decide.js';
import { derivedRunId } from './hook-signature.js';

/** A published version whose trigger starts it on a cron expression. */
export interface ScheduledWorkflow {
  org: string;
  workflow: PinnedWorkflow;
  cron: string;
}

interface Entry {
  scheduled: ScheduledWorkflow;
  cron: Cron;
  next: Date | null;
}

/**
 * Which scheduled runs are due: each published schedule's next tick, from when it was first seen. Ticks
 * missed while no server ran are not made up. The run id comes from the workflow, version and tick, so
 * every server process firing the same tick starts one run.
 */
export class ScheduleBook {
  private readonly entries = new Map<string, Entry>();

  /** Replaces the set of schedules; one kept as it was keeps its next tick. */
  update(schedules: readonly ScheduledWorkflow[], now: Date): void {
    const seen = new Set<string>();
    for (const scheduled of schedules) {
      const key = `${scheduled.org}\n${scheduled.workflow.id}\n${scheduled.workflow.version}\n${scheduled.cron}`;
      seen.add(key);
      if (this.entries.has(key)) continue;
      let cron: Cron;
      try {
        cron = new Cron(scheduled.cron, { paused: true, timezone: 'UTC' });
      } catch {
        continue;
      }
      this.entries.set(key, { scheduled, cron, next: cron.nextRun(now) });
    }
    for (const key of [...this.entries.keys()]) if (!seen.has(key)) this.entries.delete(key);
  }

  /** The runs due at `now`, each with its derived id and the tick it stands for; moves past them. */
  due(now: Date): { org: string; workflow: PinnedWorkflow; runId: string; tick: string }[] {
    const due = [];
    for (const entry of this.entries.values()) {
      if (!entry.next || entry.next.getTime() > now.getTime()) continue;
      const tick = entry.next.toISOString();
      const { org, workflow } = entry.scheduled;
      due.push({
        org,
        workflow,
        tick,
        runId: derivedRunId('schedule', org, workflow.id, String(workflow.version), tick),
      });
      entry.next = entry.cron.nextRun(now);
    }
    return due;
  }

  get size(): number {
    return this.entries.size;
  }
}
