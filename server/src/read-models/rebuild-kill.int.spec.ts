import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@proofpane/core/testing';
import { defaultProjections, projectionStatus } from '@proofpane/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import { appendMixedEvents, disposeTestDatabase } from '../../../projections/src/testing/index.js';
import { collectAnswers } from './testing/answers.js';
import { createReadModelApp } from './testing/read-model-app.js';

const cli = fileURLToPath(new URL('./testing/projections-cli.ts', import.meta.url));
const orgs = ['org_kill_a', 'org_kill_b'];

/** Runs `projections rebuild` in a child process and SIGKILLs it once it has replayed `killAt` events. */
function rebuildAndKill(options: { url: string; dataDir: string; killAt: number }) {
  return new Promise<{ lastDone: number; total: number; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', cli, 'projections', 'rebuild', '--batch-size', '100'],
        {
          env: {
            ...process.env,
            DATABASE_URL: options.url,
            PROOFPANE_DATA_DIR: options.dataDir,
            LOG_LEVEL: 'silent',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let lastDone = 0;
      let total = 0;
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        for (const match of output.matchAll(/rebuild (\d+)\/(\d+)/g)) {
          lastDone = Number(match[1]);
          total = Number(match[2]);
        }
        if (lastDone >= options.killAt && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (signal === null) reject(new Error(`the rebuild ended by itself (code ${code}): ${output}`));
        else resolve({ lastDone, total, signal });
      });
    },
  );
}

describe.runIf(process.env.DATABASE_URL)('a rebuild killed midway on postgres', () => {
  let test: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'proofpane-kill-'));
  });
  afterAll(async () => {
    await disposeTestDatabase(test);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes on the next start and gives the same answers', async () => {
    const clock = { now: new Date('2026-03-01T08:00:00.000Z') };
    const first = await createReadModelApp({ database: test.database, clock });
    await appendMixedEvents({
      store: first.store,
      clock,
      orgs,
      total: 12_000,
      batchSize: 1_000,
      start: clock.now,
      stepMs: 86_400_000,
    });
    await first.caughtUp();
    const before = await collectAnswers({ app: first.app, orgs });
    await first.close();

    const killed = await rebuildAndKill({ url: test.url!, dataDir, killAt: 3_000 });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lastDone).toBeLessThan(killed.total);
    const midway = await projectionStatus({ db: test.database.db, projections: defaultProjections });
    expect(midway.some((s) => s.lag > 0)).toBe(true);

    const restarted = await createReadModelApp({ database: test.database, clock });
    await restarted.caughtUp();
    const after = await collectAnswers({ app: restarted.app, orgs });
    await restarted.close();
    expect(after).toEqual(before);
  });
});
