import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { startSamplingLoop } from './loop.js';
import { judgeQueue, migrateJudgeQueue } from './queue.js';
import { qualityJudgeRoutes } from './routes.js';
import { createJudgeService, type JudgeService } from './service.js';

/** How often the sampling loop runs, how many runs one org's pass claims, and how long a claim lasts. */
const SAMPLE_EVERY_MS = 30_000;
const BATCH = 20;
const LEASE_MS = 5 * 60_000;

/**
 * L4, the LLM judge, and the triage queue (docs/quality.md): the judge and triage routes, the queue of
 * sampled runs the skills plugin offers its answers to, and the sampling loop, run by the processes that
 * run the background loops (`PROOFPANE_WORKFLOW_ENGINE`). `app.qualityJudge` gives the skills plugin its
 * `offer` and specs one pass at a time.
 */
export const qualityJudgePlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store, database, config } = app.runtime;
    await migrateJudgeQueue(database.db);
    const service = createJudgeService({
      db: database.db,
      store,
      gateway: app.gateway.gateway,
      queue: judgeQueue(database.db),
      settings: app.quality.settings,
      now: () => new Date(),
      onError: (err, where) => app.log.warn({ err, ...where }, 'quality judge pass'),
    });
    const holder = `${config.workflowEngine.workerId ?? 'process'}/${randomUUID()}`;
    // One process of the deployment runs it (the registry's lease); the queue's claims keep a stalled
    // former holder and its successor off the same run (decision 0029).
    if (config.workflowEngine.enabled)
      app.loops.register({
        name: 'quality-sampling',
        duty: 'worker',
        scope: 'once',
        start: () =>
          startSamplingLoop({
            service,
            intervalMs: SAMPLE_EVERY_MS,
            holder,
            leaseMs: LEASE_MS,
            batch: BATCH,
            onError: (err) => app.log.warn({ err }, 'quality sampling pass'),
          }),
      });
    app.decorate('qualityJudge', {
      service,
      pass: async () => {
        const opened = await service.openPendingTriage();
        const judged = await service.samplePass({ holder, leaseMs: LEASE_MS, batch: BATCH });
        return { opened, judged };
      },
    });
    await app.register(qualityJudgeRoutes({ service }));
  },
  {
    name: 'proofpane-quality-judge',
    dependencies: ['proofpane-identity', 'proofpane-gateway', 'proofpane-quality', 'proofpane-read-models'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    qualityJudge: {
      service: JudgeService;
      /** One loop pass now: triage items opened, verdicts recorded. */
      pass(): Promise<{ opened: number; judged: number }>;
    };
  }
}
