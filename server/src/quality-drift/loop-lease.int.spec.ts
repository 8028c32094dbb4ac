import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { identityTestEnv } from '../identity/testing/identity-test-app.js';
import { openRuntime, type Runtime } from '../runtime/runtime.js';

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const driftState = (app: FastifyInstance) =>
  app.loops.states().find((s) => s.name === 'quality-drift')?.state;

for (const driver of testDrivers) {
  describe(`the quality-drift loop on the lease registry, on ${driver}`, () => {
    let test: TestDatabase;
    let dataDir: string;
    const opened: { app: FastifyInstance; runtime: Runtime; database?: Database }[] = [];

    /** A process of the deployment: its own connections, one data folder shared like a volume. */
    const start = async (role: string, database: Database) => {
      const config = loadConfig({
        ...identityTestEnv,
        PROOFPANE_DATA_DIR: dataDir,
        PROOFPANE_PRICE_REFRESH: 'off',
        PROOFPANE_WORKFLOW_ENGINE: 'on',
        LOG_LEVEL: 'silent',
        PROOFPANE_ROLE: role,
        ...(test.url ? { DATABASE_URL: test.url } : {}),
      });
      const runtime = await openRuntime({ config, database });
      const app = await buildApp({ runtime, logger: false });
      await app.ready();
      const process = { app, runtime, ...(database === test.database ? {} : { database }) };
      opened.push(process);
      return process;
    };
    const stop = async (process: (typeof opened)[number]) => {
      opened.splice(opened.indexOf(process), 1);
      await process.app.close();
      await process.runtime.close();
      await process.database?.close();
    };

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-drift-lease-'));
    });
    afterAll(async () => {
      for (const process of [...opened].reverse()) await stop(process);
      await test.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    if (driver === 'postgres') {
      it('runs in one of two worker processes, and moves to the other when its holder stops', async () => {
        const first = await start('worker', await openDatabase({ url: test.url!, poolSize: 5 }));
        const second = await start('worker', await openDatabase({ url: test.url!, poolSize: 5 }));
        await until(() => driftState(first.app) === 'running', 'the first worker to take the lease');
        expect(driftState(second.app)).toBe('standby');
        await stop(first);
        await until(() => driftState(second.app) === 'running', 'the standby to take the lease');
        expect(opened.filter((p) => driftState(p.app) === 'running')).toHaveLength(1);
      }, 300_000);
    } else {
      it('runs in the one process PGlite allows', async () => {
        const only = await start('all', test.database);
        expect(driftState(only.app)).toBe('running');
        await stop(only);
      }, 300_000);
    }
  });
}
