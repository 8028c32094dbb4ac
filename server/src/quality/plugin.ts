import { type GatewayCall, recordGovernedAnswerCheck } from '@proofpane/commands';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { qualityRoutes } from './routes.js';
import { type QualitySettingsCache, qualitySettingsCache } from './settings-cache.js';

/** Runs L3 on a governed answer when the caller's org has `quality.l3.governedAnswers` on. */
export type GovernedAnswerCheck = (options: {
  call: GatewayCall;
  text: string;
  log: FastifyBaseLogger;
}) => Promise<void>;

/**
 * Quality checks of model answers (docs/quality.md): the L3 dry-run route, the org's quality settings,
 * `app.quality.checkGovernedAnswer` for the gateway's routes and `app.quality.settings` for the judge.
 */
export const qualityPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store } = app.runtime;
    const settings = qualitySettingsCache({ store });
    const checkGovernedAnswer: GovernedAnswerCheck = async ({ call, text, log }) => {
      const { org, actor } = call.caller;
      if (!(await settings.get(org)).l3.governedAnswers) return;
      // The answer was already recorded and paid for: a failed check is logged, never the caller's error.
      await recordGovernedAnswerCheck({
        store,
        org,
        actor,
        requestId: call.requestId,
        text,
        runId: call.run?.id,
      }).catch((error: unknown) =>
        log.warn({ err: error, requestId: call.requestId }, 'L3 check of a governed answer failed'),
      );
    };
    app.decorate('quality', { checkGovernedAnswer, settings });
    await app.register(qualityRoutes({ store, settings }));
  },
  { name: 'proofpane-quality', dependencies: ['proofpane-identity'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    quality: { checkGovernedAnswer: GovernedAnswerCheck; settings: QualitySettingsCache };
  }
}
