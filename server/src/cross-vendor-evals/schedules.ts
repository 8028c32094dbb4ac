import { type CrossVendorSuite, RunError, SuiteScheduleBook } from '@proofpane/commands';
import { scheduledCrossVendorSuites } from '@proofpane/projections';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { CrossVendorRunner } from './runner.js';

const SYSTEM = { kind: 'system' as const, id: 'cross-vendor-schedule' };

/**
 * Scheduled suites, on the loop the workflow triggers use: the suites read model is re-read every
 * `refreshMs`, due ticks checked every `tickMs`; a tick's run id is derived from the suite and the tick,
 * so several processes firing one tick start one run (the others find it taken).
 */
export function startSuiteSchedules(options: {
  db: Kysely<unknown>;
  runner: CrossVendorRunner;
  log: FastifyBaseLogger;
  refreshMs?: number;
  tickMs?: number;
}): { stop(): void; refresh(): Promise<void>; tick(now?: Date): Promise<void> } {
  const { db, runner, log } = options;
  const book = new SuiteScheduleBook();
  let stopped = false;
  const refresh = async () => {
    const rows = await scheduledCrossVendorSuites(db);
    book.update(
      rows.map((r) => ({ org: r.org, suite: r.definition as CrossVendorSuite })),
      new Date(),
    );
  };
  const tick = async (now = new Date()) => {
    for (const due of book.due(now)) {
      try {
        await runner.start({
          org: due.org,
          actor: SYSTEM,
          suite: due.suite,
          runId: due.runId,
          trigger: { kind: 'schedule', ref: due.tick },
        });
      } catch (error) {
        if (error instanceof RunError && error.code === 'run_exists') continue;
        log.warn({ err: error, suiteId: due.suite.suiteId }, 'scheduled cross-vendor run');
      }
    }
  };
  const every = (ms: number, work: () => Promise<void>, what: string) => {
    const timer = setInterval(() => {
      if (!stopped) work().catch((err: unknown) => log.warn({ err }, what));
    }, ms);
    timer.unref();
    return timer;
  };
  const refresher = every(options.refreshMs ?? 5_000, refresh, 'cross-vendor schedules refresh');
  const ticker = every(options.tickMs ?? 1_000, () => tick(), 'cross-vendor schedule tick');
  refresh().catch((err: unknown) => log.warn({ err }, 'cross-vendor schedules refresh'));
  return {
    refresh,
    tick,
    stop() {
      stopped = true;
      clearInterval(refresher);
      clearInterval(ticker);
    },
  };
}
