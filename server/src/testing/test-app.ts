import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDriver } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { openRuntime, type Runtime } from '../runtime/runtime.js';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  dispose(): Promise<void>;
}

/** The whole app on a database of its own, for `app.inject()` specs; one per spec file. */
export async function createTestApp(options: {
  driver: TestDriver;
  env?: Record<string, string>;
}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-app-'));
  const test = await createTestDatabase(options.driver);
  const config = loadConfig({ PROOFPANE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const runtime = await openRuntime({ config, database: test.database });
  const app = await buildApp({ runtime, logger: false });
  await app.ready();
  return {
    app,
    runtime,
    config,
    dispose: async () => {
      await app.close();
      await runtime.close();
      await test.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
