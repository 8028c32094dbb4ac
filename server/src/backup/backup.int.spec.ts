import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { isEmptyDeployment } from './load.js';

const BACKUP_KEY = 'correct horse battery staple backup';
const ORG_KEY = 'sk-org-openai-key-restored-0123456789';

for (const driver of testDrivers) {
  describe(`backup and restore on ${driver}`, () => {
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

    /** What the read side answers an org, for comparing two deployments. */
    const answers = async (app: FastifyInstance, token: string) => {
      const get = async (url: string) => {
        const res = await app.inject({ method: 'GET', url, headers: auth(token) });
        expect(res.statusCode, url).toBe(200);
        return res.json();
      };
      return {
        audit: await get('/api/audit?limit=500'),
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
          expect(await answers(restored.app, account.token)).toEqual(
            await answers(source.app, account.token),
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
        expect(await answers(restored.app, alice.token)).toEqual(await answers(source.app, alice.token));
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
  });
}
