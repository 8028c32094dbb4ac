import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import { buildApp } from '../app.js';
import { createCli } from '../cli.js';
import { loadConfig } from '../config.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  identityTestEnv,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import { openRuntime, type Runtime } from '../runtime/runtime.js';
import type { TestApp } from '../testing/test-app.js';
import { dumpDeployment } from './dump.js';
import { BackupWriter, fileSource, MAGIC, readRecords } from './format.js';
import { isEmptyDeployment } from './load.js';

const BACKUP_KEY = 'correct horse battery staple backup';
const ORG_KEY = 'sk-org-openai-key-restored-0123456789';

for (const driver of testDrivers) {
  // Each case backs up and restores a whole deployment: minutes on a busy machine.
  describe(`backup and restore on ${driver}`, { timeout: 300_000 }, () => {
    let vendor: FakeVendor;
    let source: TestApp;
    let alice: Account;
    let bob: Account;
    let apiKey: string;
    const dirs: string[] = [];
    const databases: TestDatabase[] = [];
    const scratch = () => {
      const dir = mkdtempSync(join(tmpdir(), 'proofpane-backup-'));
      dirs.push(dir);
      return dir;
    };
    const env = (dataDir: string) => ({
      ...identityTestEnv,
      PROOFPANE_DATA_DIR: dataDir,
      PROOFPANE_PRICE_REFRESH: 'off',
      OPENAI_BASE_URL: `${vendor.url}/v1`,
      OPENAI_API_KEY: 'sk-platform-openai-test-key',
      LOG_LEVEL: 'silent',
      PROOFPANE_BACKUP_KEY: BACKUP_KEY,
    });
    /** `proofpane …` in process, on a database the spec holds. */
    const cli = async (args: string[], options: { dataDir: string; database: TestDatabase['database'] }) =>
      createCli({
        env: env(options.dataDir),
        openRuntime: (config) => openRuntime({ config, database: options.database }),
        out: () => {},
        readStdin: async () => '',
      }).parseAsync(['node', 'proofpane', ...args]);

    beforeAll(async () => {
      vendor = await startFakeOpenAI();
      source = await createIdentityTestApp({
        driver,
        env: {
          OPENAI_BASE_URL: `${vendor.url}/v1`,
          OPENAI_API_KEY: 'sk-platform-openai-test-key',
          PROOFPANE_PRICE_REFRESH: 'off',
        },
      });
      alice = await registerAccount(source.app, { orgName: 'Alice Backup Org' });
      bob = await registerAccount(source.app, { orgName: 'Bob Backup Org' });
      apiKey = (await createKey(source.app, { token: alice.token })).key;
      const inject = (token: string, method: 'PUT' | 'POST', url: string, payload: object) =>
        source.app.inject({ method, url, headers: auth(token), payload });
      expect(
        (await inject(alice.token, 'PUT', '/api/provider-keys/openai', { apiKey: ORG_KEY })).statusCode,
      ).toBe(200);
      expect((await inject(alice.token, 'PUT', '/api/budget', { monthlyUsdCap: 10 })).statusCode).toBe(200);
      for (const [token, i] of [
        [apiKey, 1],
        [apiKey, 2],
        [bob.token, 3],
      ] as const) {
        const res = await inject(token, 'POST', '/v1/chat/completions', {
          model: 'demo',
          messages: [{ role: 'user', content: `backup me ${i}` }],
        });
        expect(res.statusCode).toBe(200);
      }
      const direct = await inject(apiKey, 'POST', '/v1/chat/completions', {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'before backup' }],
      });
      expect(direct.statusCode, direct.body).toBe(200);
      // A signed checkpoint in the chain, as the evidence loop records them.
      const pack = await inject(alice.token, 'POST', '/api/evidence-packs', {});
      expect(pack.statusCode).toBeLessThan(300);
    });
    afterAll(async () => {
      await source.dispose();
      for (const database of databases) await database.dispose();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await vendor.close();
    });

    /**
     * What the read side answers an org, for comparing two deployments. The source keeps running after
     * its backup (its budget loop may release a lease), so the audit is compared up to the seq the
     * backup held: `upTo`, the restored chain's head.
     */
    const answers = async (app: FastifyInstance, token: string, upTo: number) => {
      const get = async (url: string) => {
        const res = await app.inject({ method: 'GET', url, headers: auth(token) });
        expect(res.statusCode, url).toBe(200);
        return res.json();
      };
      const audit = (await get('/api/audit?limit=500')) as { events: { seq: number }[] };
      return {
        audit: audit.events.filter((e) => e.seq <= upTo),
        cost: await get('/api/cost/summary'),
        runs: await get('/api/runs'),
        keys: await get('/.well-known/proofpane-keys.json'),
      };
    };

    const restoredApp = async (dataDir: string, database: TestDatabase['database']) => {
      const runtime: Runtime = await openRuntime({ config: loadConfig(env(dataDir)), database });
      const app = await buildApp({ runtime, logger: false });
      await app.ready();
      const close = async () => {
        await app.close();
        await runtime.close();
      };
      return { app, runtime, close };
    };

    it('round-trips the deployment: chains verify, projections answer the same, secrets still work', async () => {
      const file = join(scratch(), 'all.backup');
      await cli(['backup', '--out', file], {
        dataDir: source.config.dataDir,
        database: source.runtime.database,
      });
      const bytes = readFileSync(file);
      // Encrypted: neither names nor the org's provider key are readable in the file.
      for (const secret of ['Alice Backup Org', alice.email, ORG_KEY, 'backup me'])
        expect(bytes.includes(Buffer.from(secret))).toBe(false);

      const target = await createTestDatabase(driver);
      databases.push(target);
      const dataDir = scratch();
      await cli(['restore', file], { dataDir, database: target.database });
      const restored = await restoredApp(dataDir, target.database);
      try {
        for (const account of [alice, bob]) {
          expect((await restored.runtime.store.verifyChain({ org: account.org })).ok).toBe(true);
          const upTo = (await restored.runtime.store.head(account.org))?.seq ?? 0;
          expect(await answers(restored.app, account.token, upTo)).toEqual(
            await answers(source.app, account.token, upTo),
          );
        }
        expect((await restored.runtime.store.orgs()).sort()).toEqual(
          (await source.runtime.store.orgs()).sort(),
        );
        // Password hashes, key hashes and the sealed provider key came back with the master key that opens it.
        const login = await restored.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: alice.email, password: alice.password },
        });
        expect(login.statusCode).toBe(200);
        const before = vendor.requests.length;
        const call = await restored.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: auth(apiKey),
          payload: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'after restore' }] },
        });
        expect(call.statusCode, call.body).toBe(200);
        expect(vendor.requests.slice(before).map((r) => r.headers.authorization)).toEqual([
          `Bearer ${ORG_KEY}`,
        ]);
      } finally {
        await restored.close();
      }

      // A second restore into the same database is refused: it is no longer empty.
      await expect(cli(['restore', file], { dataDir: scratch(), database: target.database })).rejects.toThrow(
        /empty/,
      );
    });

    it('restores one org alone', async () => {
      const file = join(scratch(), 'alice.backup');
      await cli(['backup', '--out', file, '--org', alice.org], {
        dataDir: source.config.dataDir,
        database: source.runtime.database,
      });
      const target = await createTestDatabase(driver);
      databases.push(target);
      const dataDir = scratch();
      await cli(['restore', file], { dataDir, database: target.database });
      const restored = await restoredApp(dataDir, target.database);
      try {
        expect(await restored.runtime.store.orgs()).toEqual([alice.org]);
        expect((await restored.runtime.store.verifyChain({ org: alice.org })).ok).toBe(true);
        const upTo = (await restored.runtime.store.head(alice.org))?.seq ?? 0;
        expect(await answers(restored.app, alice.token, upTo)).toEqual(
          await answers(source.app, alice.token, upTo),
        );
        const bobLogin = await restored.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: bob.email, password: bob.password },
        });
        expect(bobLogin.statusCode).toBe(401);
      } finally {
        await restored.close();
      }
    });

    it('refuses a wrong key, a changed byte and a cut-off file, leaving the database empty', async () => {
      const file = join(scratch(), 'bad.backup');
      await cli(['backup', '--out', file], {
        dataDir: source.config.dataDir,
        database: source.runtime.database,
      });
      const bytes = readFileSync(file);
      const target = await createTestDatabase(driver);
      databases.push(target);
      const keyFile = join(scratch(), 'wrong.key');
      writeFileSync(keyFile, 'a different backup passphrase');
      await expect(
        cli(['restore', file, '--key-file', keyFile], { dataDir: scratch(), database: target.database }),
      ).rejects.toThrow(/does not open/);
      const changed = Buffer.from(bytes);
      changed.writeUInt8(changed.readUInt8(changed.length - 40) ^ 0xff, changed.length - 40);
      writeFileSync(file, changed);
      await expect(cli(['restore', file], { dataDir: scratch(), database: target.database })).rejects.toThrow(
        /does not open|changed/,
      );
      writeFileSync(file, bytes.subarray(0, bytes.length - 100));
      await expect(cli(['restore', file], { dataDir: scratch(), database: target.database })).rejects.toThrow(
        /ends/,
      );
      expect(await isEmptyDeployment(target.database.db)).toBe(true);
    });

    it('restores a backup of many frames reading one frame at a time, and refuses damage before writing anything', async () => {
      // The CLI seals about a megabyte per frame; small frames make this deployment span many.
      const file = join(scratch(), 'frames.backup');
      const chunks: Buffer[] = [];
      const writer = new BackupWriter(
        BACKUP_KEY,
        { createdAt: new Date().toISOString(), org: null },
        async (bytes) => void chunks.push(bytes),
        2048,
      );
      await writer.start();
      await dumpDeployment({
        db: source.runtime.database.db,
        dataDir: source.config.dataDir,
        writer,
        progress: () => {},
      });
      await writer.finish();
      const bytes = Buffer.concat(chunks);
      writeFileSync(file, bytes);
      const frames = frameEnds(bytes);
      expect(frames.length).toBeGreaterThan(5);

      // The reader asks for one frame at a time, never for the file.
      const opened = await fileSource(file);
      let largestRead = 0;
      const watched = {
        size: opened.size,
        read: (position: number, length: number) => {
          largestRead = Math.max(largestRead, length);
          return opened.read(position, length);
        },
      };
      let records = 0;
      for await (const _ of readRecords(watched, BACKUP_KEY)) records += 1;
      await opened.close();
      expect(records).toBeGreaterThan(frames.length);
      const widestFrame = Math.max(...frames.map((end, i) => end - (i === 0 ? 0 : (frames[i - 1] ?? 0))));
      expect(largestRead).toBeLessThan(bytes.length / 2);
      expect(largestRead).toBeLessThanOrEqual(Math.max(widestFrame, 4096));

      const target = await createTestDatabase(driver);
      databases.push(target);
      const refuse = async (damaged: Buffer, message: RegExp, key?: string) => {
        const dataDir = scratch();
        writeFileSync(file, damaged);
        const args = ['restore', file];
        if (key) {
          const keyFile = join(dataDir, 'other.key');
          writeFileSync(keyFile, key);
          args.push('--key-file', keyFile);
        }
        await expect(cli(args, { dataDir, database: target.database })).rejects.toThrow(message);
        // Refused in the first pass: no key file written, no row committed.
        expect(existsSync(join(dataDir, 'keys'))).toBe(false);
        expect(await isEmptyDeployment(target.database.db)).toBe(true);
      };
      const middle = frames[Math.floor(frames.length / 2)] ?? 0;
      const changed = Buffer.from(bytes);
      changed.writeUInt8(changed.readUInt8(middle - 20) ^ 0x01, middle - 20);
      await refuse(changed, /does not open|changed/);
      await refuse(bytes.subarray(0, middle), /ends before its last frame/);
      await refuse(bytes.subarray(0, middle - 7), /ends/);
      await refuse(bytes, /does not open/, 'a different backup passphrase');

      const dataDir = scratch();
      writeFileSync(file, bytes);
      await cli(['restore', file], { dataDir, database: target.database });
      const restored = await restoredApp(dataDir, target.database);
      try {
        for (const account of [alice, bob]) {
          expect((await restored.runtime.store.verifyChain({ org: account.org })).ok).toBe(true);
          const upTo = (await restored.runtime.store.head(account.org))?.seq ?? 0;
          expect(await answers(restored.app, account.token, upTo)).toEqual(
            await answers(source.app, account.token, upTo),
          );
        }
      } finally {
        await restored.close();
      }
    });
  });
}

/** Where each frame of a backup ends (offsets after its tag), read from the length prefixes. */
function frameEnds(bytes: Buffer): number[] {
  let at = bytes.indexOf(0x0a, MAGIC.length) + 1;
  const ends: number[] = [];
  while (at < bytes.length) {
    at += 5 + 12 + bytes.readUInt32BE(at) + 16;
    ends.push(at);
  }
  return ends;
}
