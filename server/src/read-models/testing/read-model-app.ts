import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, PostgresEventStore, SigningKeyring } from '@proofpane/core';
import type { ProjectionsHandle } from '@proofpane/projections';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { loadConfig } from '../../config.js';
import { installErrorHandling } from '../../http/error-handler.js';
import type { Runtime } from '../../runtime/runtime.js';
import { readModels } from '../plugin.js';
import { headerOrg } from './header-org.js';

export interface ReadModelApp {
  app: FastifyInstance;
  runtime: Runtime;
  store: PostgresEventStore;
  /** Event times and "now" for the queries both read this clock. */
  clock: { now: Date };
  /** Resolves once the projections have applied everything committed so far. */
  caughtUp(): Promise<void>;
  /** Closes the app and the store; the database stays open for the caller. */
  close(): Promise<void>;
}

/** The read-model routes on a bare app over `database`, orgs taken from the test header. */
export async function createReadModelApp(options: {
  database: Database;
  clock?: { now: Date };
  heartbeatMs?: number;
}): Promise<ReadModelApp> {
  const clock = options.clock ?? { now: new Date('2026-03-15T12:00:00.000Z') };
  const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-read-'));
  const config = loadConfig({ PROOFPANE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const store = await PostgresEventStore.open({
    database: options.database,
    now: () => clock.now,
    pollMs: 50,
  });
  const runtime: Runtime = {
    config,
    database: options.database,
    store,
    keyring: SigningKeyring.open({ dataDir, envSeed: undefined }),
    close: () => store.close(),
  };
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('runtime', runtime);
  installErrorHandling(app);
  let projections: ProjectionsHandle | undefined;
  await app.register(readModels, {
    resolveOrg: headerOrg,
    onStart: (handle) => {
      projections = handle;
    },
    now: () => clock.now,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  await app.ready();
  return {
    app,
    runtime,
    store,
    clock,
    caughtUp: () => {
      if (!projections) throw new Error('the projections have not started');
      return projections.caughtUp();
    },
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
