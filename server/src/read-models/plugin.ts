import { PostgresEventStore } from '@proofpane/core';
import { type ProjectionsHandle, startProjections } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { roleRuns } from '../runtime/roles.js';
import { publishApplied, remoteProjections } from '../scale-out/remote-projections.js';
import { adminRoutes } from './admin-routes.js';
import { auditRoutes } from './audit-routes.js';
import { costRoutes } from './cost-routes.js';
import { LiveHub } from './live-hub.js';
import { principalOrg, type ResolveOrg } from './org.js';
import { ReadSide } from './read-side.js';
import { runsRoutes } from './runs-routes.js';
import { summaryRoutes } from './summary-routes.js';
import { projectionsMode } from './thread/mode.js';
import { startProjectionsThread } from './thread/projections-thread.js';

export interface ReadModelOptions {
  /** The caller's org; by default the authenticated principal's. */
  resolveOrg?: ResolveOrg;
  /** The clock for "this month" and "the last 24 h". */
  now?: () => Date;
  /** How often an idle SSE stream sends a comment to keep proxies from closing it (15 s). */
  heartbeatMs?: number;
  /** Called with the running projections once the app is ready (tests wait on `caughtUp()`). */
  onStart?: (projections: ProjectionsHandle) => void;
}

/**
 * The read side of the server: starts the projections and the live hub when the app is ready,
 * stops them on close, and serves the audit, cost, runs and admin routes from the read models.
 * Needs no identity when `resolveOrg` is given, which is how the read-model specs run it bare.
 */
export const readModels: FastifyPluginAsync<ReadModelOptions> = async (app, options) => {
  const { database, store } = app.runtime;
  const side = new ReadSide({
    db: database.db,
    store,
    hub: new LiveHub({
      store,
      onError: (error) => app.log.error({ err: error }, 'live hub'),
    }),
    resolveOrg: options.resolveOrg ?? principalOrg,
    now: options.now ?? (() => new Date()),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    onError: (error) => app.log.error({ err: error }, 'read model stream failed'),
  });
  let unpublish: (() => void) | undefined;
  app.addHook('onReady', async () => {
    // An `api` process leaves the runners to the projector processes and reads their checkpoints.
    if (!roleRuns(app.runtime.config.role, 'projector')) {
      side.projections = remoteProjections({ db: database.db, bus: app.bus });
      options.onStart?.(side.projections);
      return;
    }
    const mode = projectionsMode(app.runtime.config, database);
    if (mode.kind === 'inline' && mode.refused)
      app.log.warn({ reason: mode.refused }, 'PROOFPANE_PROJECTIONS=worker ignored: projections run inline');
    side.projections =
      mode.kind === 'worker'
        ? await startProjectionsThread({
            databaseUrl: mode.databaseUrl,
            db: database.db,
            commits:
              store instanceof PostgresEventStore
                ? (listener) => {
                    const local = store.onCommitted(listener);
                    // Other processes' commits too, when this app runs with the scale-out plugin.
                    const remote = app.hasDecorator('commits')
                      ? app.commits.onRemoteCommit(listener)
                      : () => {};
                    return () => {
                      local();
                      remote();
                    };
                  }
                : undefined,
            log: app.log,
          })
        : await startProjections({
            database,
            store,
            onError: (error, projection) =>
              app.log.error({ err: error, projection }, 'projection batch failed'),
          });
    if (app.hasDecorator('bus'))
      unpublish = publishApplied({
        projections: side.projections,
        bus: app.bus,
        onError: (err) => app.log.warn({ err }, 'applied notice'),
      });
    options.onStart?.(side.projections);
  });
  app.addHook('preClose', async () => {
    side.endStreams();
  });
  app.addHook('onClose', async () => {
    unpublish?.();
    await side.hub.stop();
    await side.projections?.stop();
    side.projections = null;
  });
  await app.register(auditRoutes, { side });
  await app.register(costRoutes, { side });
  await app.register(runsRoutes, { side });
  await app.register(summaryRoutes, { side });
  await app.register(adminRoutes, { side });
};

/** `readModels` in the app, where orgs come from the principal that identity authenticates. */
export const readModelsPlugin: FastifyPluginAsync<ReadModelOptions> = fp(
  async (app, options) => {
    await app.register(readModels, options);
  },
  { name: 'proofpane-read-models', dependencies: ['proofpane-identity'] },
);
