import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { forgetApiKeys } from '../identity/api-key-cache.js';
import { LoopRegistry } from '../runtime/loops.js';
import { roleRuns } from '../runtime/roles.js';
import { localBus, openPgBus, type PeerBus } from './bus.js';
import { type CommitFanOut, fanOutCommits } from './commit-fanout.js';
import { startDeviceRelay } from './device-relay.js';

/** What a process that is not an `api` process still answers: probes and scrapes. */
const NON_API_PATHS = new Set(['/healthz', '/metrics']);

/**
 * Several processes on one PostgreSQL (docs/operations.md): the bus between them, the fan-out of
 * commits, API-key revocations and device calls over it, the loop registry (`app.loops`), and the
 * role guard that keeps `projector` and `worker` processes from serving the API.
 */
export const scaleOutPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const { config, database, store } = runtime;
    const onError = (err: unknown) => app.log.warn({ err }, 'scale-out bus');
    const bus: PeerBus =
      database.driver === 'postgres' && config.databaseUrl
        ? await openPgBus({ url: config.databaseUrl, onError })
        : localBus();
    const commits: CommitFanOut = fanOutCommits({ store, bus, onError });
    const loops = new LoopRegistry({
      role: config.role,
      database,
      onError: (err, loop) => app.log.error({ err, loop }, 'background loop failed to start'),
    });
    app.decorate('bus', bus);
    app.decorate('commits', commits);
    app.decorate('loops', loops);

    if (!roleRuns(config.role, 'api'))
      app.addHook('onRequest', async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        if (!NON_API_PATHS.has(path))
          await reply
            .code(404)
            .type('application/problem+json')
            .send({
              type: 'about:blank',
              title: 'Not Found',
              status: 404,
              code: 'not_found',
              detail: `this process runs the ${config.role} role; the API is served by api processes`,
            });
      });

    let relay: ReturnType<typeof startDeviceRelay> | undefined;
    let unlistenKeys: (() => void) | undefined;
    app.addHook('onReady', async () => {
      // A key revoked through another process stops working here at once, not after the cache's second.
      unlistenKeys = commits.onRemoteCommit((_cursor, types) => {
        if (types.has('cp.identity.api-key.revoked')) forgetApiKeys(app.identity);
      });
      if (bus.shared && app.hasDecorator('devices'))
        relay = startDeviceRelay({ hub: app.devices.hub, bus, onError });
    });
    app.addHook('preClose', async () => {
      await loops.stop();
    });
    app.addHook('onClose', async () => {
      relay?.stop();
      unlistenKeys?.();
      commits.stop();
      await bus.close();
    });
  },
  { name: 'proofpane-scale-out' },
);

declare module 'fastify' {
  interface FastifyInstance {
    bus: PeerBus;
    commits: CommitFanOut;
    loops: LoopRegistry;
  }
}
