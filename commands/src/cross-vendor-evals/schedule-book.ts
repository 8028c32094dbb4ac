import { Cron } from 'croner';
import { derivedRunId } from '../workflow-triggers/hook-signature.js';
import type { CrossVendorSuite } from './suite.js';

/** A suite whose schedule starts runs, in its org. */
export interface ScheduledSuite {
  org: string;
  suite: CrossVendorSuite;
}

interface Entry {
  scheduled: ScheduledSuite;
  cron: Cron;
  next: Date | null;
}

/**
 * Which scheduled suite runs are due, as the workflow triggers' schedule book does it: each schedule's
 * next tick from when it was first seen, missed ticks not made up, the run id derived from the suite and
 * the tick so every process firing one tick starts one run.
 */
export class SuiteScheduleBook {
  private readonly entries = new Map<string, Entry>();

  update(suites: readonly ScheduledSuite[], now: Date): void {
    const seen = new Set<string>();
    for (const scheduled of suites) {
      const { schedule, suiteId } = scheduled.suite;
      if (schedule === null) continue;
      const key = `${scheduled.org}\n${suiteId}\n${schedule}`;
      seen.add(key);
      if (this.entries.has(key)) continue;
      let cron: Cron;
      try {
        cron = new Cron(schedule, { paused: true, timezone: 'UTC' });
      } catch {
        continue;
      }
      this.entries.set(key, { scheduled, cron, next: cron.nextRun(now) });
    }
    for (const key of [...this.entries.keys()]) if (!seen.has(key)) this.entries.delete(key);
  }

  due(now: Date): { org: string; suite: CrossVendorSuite; runId: string; tick: string }[] {
    const due = [];
    for (const entry of this.entries.values()) {
      if (!entry.next || entry.next.getTime() > now.getTime()) continue;
      const tick = entry.next.toISOString();
      const { org, suite } = entry.scheduled;
      due.push({ org, suite, tick, runId: derivedRunId('cross-vendor', org, suite.suiteId, tick) });
      entry.next = entry.cron.nextRun(now);
    }
    return due;
  }

  get size(): number {
    return this.entries.size;
  }
}
