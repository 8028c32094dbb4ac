import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDrivers } from '../../testing/databases.js';
import { testCatalogue } from '../../testing/test-catalogue.js';
import { openDatabase } from './database.js';
import { PostgresEventStore } from './postgres-event-store.js';

const worker = fileURLToPath(new URL('../../testing/append-worker.ts', import.meta.url));

function startWorker(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: string[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acked, exited, stderr: () => stderr };
}

async function untilAcked(worker: { acked: string[]; child: ChildProcess }, count: number) {
  while (worker.acked.length < count) {
    if (worker.child.exitCode !== null) throw new Error('worker exited early');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function readBack(options: { url?: string; dataDir?: string }, org: string) {
  const database = await openDatabase(options);
  const store = await PostgresEventStore.open({ database, catalogue: testCatalogue });
  const verification = await store.verifyChain({ org });
  const ids = new Set<string>();
  for (let from = 1; ; from += 5_000) {
    const page = await store.readOrg({ org, fromSeq: from, limit: 5_000 });
    for (const e of page) ids.add(e.id);
    if (page.length < 5_000) break;
  }
  await store.close();
  await database.close();
  return { verification, ids };
}

// Two processes can only share a database on a real server: PGlite is embedded in one process.
if (testDrivers.includes('postgres')) {
  describe('two processes appending to one org (postgres)', () => {
    let test: TestDatabase;
    afterAll(() => test?.dispose());

    it('produce one gapless chain holding every acknowledged event', async () => {
      test = await createTestDatabase('postgres');
      const url = test.url!;
      await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
      const org = 'org_shared';
      const a = startWorker(['--url', url, '--org', org, '--count', '300']);
      const b = startWorker(['--url', url, '--org', org, '--count', '300']);
      expect(await a.exited, a.stderr()).toBe(0);
      expect(await b.exited, b.stderr()).toBe(0);
      const { verification, ids } = await readBack({ url }, org);
      expect(verification).toMatchObject({ ok: true, checked: 600, head: { seq: 600 } });
      for (const id of [...a.acked, ...b.acked]) expect(ids.has(id)).toBe(true);
    });
  });
}

describe('a writer killed with SIGKILL in the middle of a burst', () => {
  const dirs: string[] = [];
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of databases) await d.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const driver of testDrivers) {
    it(`leaves a chain that verifies and holds every acknowledged append (${driver})`, async () => {
      let target: { url?: string; dataDir?: string };
      if (driver === 'postgres') {
        const test = await createTestDatabase('postgres');
        databases.push(test);
        await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
        target = { url: test.url! };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'proofpane-kill-'));
        dirs.push(dir);
        target = { dataDir: join(dir, 'pglite') };
      }
      const org = 'org_killed';
      const args = target.url ? ['--url', target.url] : ['--data-dir', target.dataDir!];
      const run = startWorker([...args, '--org', org, '--concurrency', '16']);
      await untilAcked(run, 400);
      run.child.kill('SIGKILL');
      await run.exited;
      const acknowledged = [...run.acked];
      const { verification, ids } = await readBack(target, org);
      expect(verification.ok).toBe(true);
      expect(verification.checked).toBeGreaterThanOrEqual(acknowledged.length);
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
    });
  }
});
