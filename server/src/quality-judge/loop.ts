import type { JudgeService } from './service.js';

/**
 * The sampling loop: every `intervalMs`, the triage items of L3-flagged runs are opened and a sampling
 * pass judges held runs; one pass at a time, stopped with the server. Every process that runs the
 * background loops may run it: the queue's claims keep two of them off the same run (decision 0029).
 */
export function startSamplingLoop(options: {
  service: JudgeService;
  intervalMs: number;
  holder: string;
  leaseMs: number;
  batch: number;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const pass = async () => {
    await options.service.openPendingTriage();
    await options.service.samplePass({
      holder: options.holder,
      leaseMs: options.leaseMs,
      batch: options.batch,
    });
  };
  const timer = setInterval(() => {
    running ??= pass()
      .catch((error: unknown) => options.onError(error))
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
