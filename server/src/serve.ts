import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openRuntime } from './runtime/runtime.js';

/**
 * Starts the server and wires graceful shutdown: on SIGTERM/SIGINT it stops accepting,
 * lets requests in flight finish, drains queued appends, then closes the database.
 */
export async function serve(config: Config): Promise<FastifyInstance> {
  const runtime = await openRuntime({ config });
  const app = await buildApp({ runtime });
  app.addHook('onClose', async () => {
    await runtime.close();
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  // The bound port, not the asked one: PORT=0 picks a free port (specs start processes that way).
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.port;
  app.log.info(
    {
      url: `http://${config.host}:${port}/`,
      database: runtime.database.driver,
      dataDir: config.dataDir,
      role: config.role,
    },
    runtime.database.driver === 'pglite'
      ? 'Proofpane is up on the embedded PGlite database (durable against a killed process, not against power loss; use DATABASE_URL for production)'
      : 'Proofpane is up on PostgreSQL',
  );
  return app;
}
