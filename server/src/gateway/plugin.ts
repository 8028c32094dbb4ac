import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_AUTO_APPROVE_THRESHOLD } from '../hitl/service.js';
import { budgetRoutes } from './budget-routes.js';
import { expireReservations } from './commands.js';
import { createGatewayContext, type GatewayContext } from './context.js';
import { policyRoutes } from './policy-routes.js';
import { providerKeyRoutes } from './provider-key-routes.js';
import { v1Routes } from './v1-routes.js';

const SWEEP_MS = 30_000;

/**
 * The governed call: the vendor-compatible `/v1` routes, the policy, budget and provider-key APIs, the
 * sweeper that releases reservations of dead calls, and the background price refresh.
 */
export const gatewayPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const hitl = app.hitl;
    const ctx = await createGatewayContext({
      runtime: app.runtime,
      approvals: {
        request: (input) =>
          hitl.request({ ...input, kind: 'llm_call', autoApproveThreshold: DEFAULT_AUTO_APPROVE_THRESHOLD }),
        consume: (input) => hitl.consume(input),
      },
    });
    app.decorate('gateway', ctx);
    const { config, store } = app.runtime;
    await ctx.prices.loadCache();
    // The first download waits a minute, so short-lived processes (CLI runs, tests) never touch the network.
    const refresh = setTimeout(() => {
      if (config.priceRefresh) ctx.prices.start({ intervalMs: 24 * 3600_000 });
    }, 60_000);
    refresh.unref();
    app.loops.register({
      name: 'budget-expiries',
      duty: 'worker',
      scope: 'once',
      start: () => {
        const sweeper = setInterval(() => {
          expireReservations({ store, ledger: ctx.ledger, now: ctx.now() }).catch((err: unknown) =>
            app.log.warn({ err }, 'budget reservation sweep failed'),
          );
        }, SWEEP_MS);
        sweeper.unref();
        return { stop: () => clearInterval(sweeper) };
      },
    });
    app.addHook('onClose', async () => {
      clearTimeout(refresh);
      ctx.prices.stop();
      // A stopping server gives back the unused part of its leases now, not after their TTL.
      await ctx.leases.close();
    });
    await app.register(v1Routes(ctx));
    await app.register(policyRoutes(ctx));
    await app.register(budgetRoutes(ctx));
    await app.register(providerKeyRoutes(ctx));
  },
  { name: 'proofpane-gateway', dependencies: ['proofpane-identity', 'proofpane-hitl'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayContext;
  }
}
