import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDrivers } from '@proofpane/core/testing';
import { parsePublishedKeys, verifyPack } from '@proofpane/evidence-verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const cli = fileURLToPath(new URL('../../../evidence-verifier/src/cli.ts', import.meta.url));

for (const driver of testDrivers) {
  describe(`evidence packs on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let dir: string;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      await createKey(t.app, { token: owner.token, name: 'one' });
      await createKey(t.app, { token: owner.token, name: 'two' });
      dir = mkdtempSync(join(tmpdir(), 'proofpane-packs-'));
    });
    afterAll(async () => {
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const exportPack = (payload: object, credential = owner.token) =>
      t.app.inject({ method: 'POST', url: '/api/evidence-packs', headers: auth(credential), payload });

    const publishedKeys = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/.well-known/proofpane-keys.json' });
      expect(res.statusCode).toBe(200);
      return res.json() as { keys: { keyId: string; publicKey: string; status: string }[] };
    };

    it('exports a full pack that verifies against the published key, and records the export', async () => {
      const head = await t.runtime.store.head(owner.org);
      const res = await exportPack({});
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      const keys = await publishedKeys();
      const parsed = parsePublishedKeys(JSON.stringify(keys));
      if ('error' in parsed) throw new Error(parsed.error);
      const report = await verifyPack(new Uint8Array(res.rawPayload), {
        trust: { kind: 'list', keys: parsed.keys },
      });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report).toMatchObject({ valid: true, org: owner.org, eventCount: head!.seq, warnings: [] });
      expect(report.keyId).toBe(keys.keys.find((k) => k.status === 'current')!.keyId);

      const after = await t.runtime.store.readOrg({ org: owner.org, fromSeq: head!.seq + 1 });
      expect(after.map((e) => e.type)).toEqual([
        'cp.evidence.checkpoint.signed',
        'cp.evidence.pack.exported',
      ]);
      expect(after[1]!.data).toMatchObject({
        manifestSha256: res.headers['x-proofpane-manifest-sha256'],
        eventCount: head!.seq,
        checkpointSize: head!.seq,
      });
    });

    it('exports a filtered pack whose events are proved against the whole chain', async () => {
      const res = await exportPack({ types: ['cp.identity.api-key.created'] });
      expect(res.statusCode).toBe(200);
      const parsed = parsePublishedKeys(JSON.stringify(await publishedKeys()));
      if ('error' in parsed) throw new Error(parsed.error);
      const report = await verifyPack(new Uint8Array(res.rawPayload), {
        trust: { kind: 'list', keys: parsed.keys },
      });
      expect(report.valid).toBe(true);
      expect(report.eventCount).toBe(2);
      expect(report.checkpoint!.size).toBeGreaterThan(2);
      // Unpinned, the same pack passes every check but its signer is unproven.
      const unpinned = await verifyPack(new Uint8Array(res.rawPayload));
      expect(unpinned).toMatchObject({ status: 'unproven', valid: false, signer: 'unproven' });
      expect(unpinned.checks.filter((c) => !c.ok)).toEqual([]);
      expect(unpinned.warnings.join(' ')).toMatch(/anyone/i);
    });

    it('verifies with the proofpane-verify CLI, and fails when pinned to another key', async () => {
      const res = await exportPack({ fromSeq: 2, toSeq: 3 });
      const pack = join(dir, `pack-${driver}.zip`);
      writeFileSync(pack, res.rawPayload);
      const keysFile = join(dir, 'keys.json');
      writeFileSync(keysFile, JSON.stringify(await publishedKeys()));
      const ok = spawnSync(process.execPath, ['--import', 'tsx', cli, pack, '--keys', keysFile, '--json'], {
        encoding: 'utf8',
      });
      expect(ok.status, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, eventCount: 2 });
      const otherKey = Buffer.alloc(32, 7).toString('base64');
      const pinned = spawnSync(process.execPath, ['--import', 'tsx', cli, pack, '--key', otherKey], {
        encoding: 'utf8',
      });
      expect(pinned.status).toBe(1);
    });

    it('refuses members, bad selections and callers without credentials', async () => {
      const member = await createKey(t.app, { token: owner.token, role: 'member', name: 'reader' });
      expect((await exportPack({}, member.key)).statusCode).toBe(403);
      const bad = await exportPack({ fromSeq: 5, toSeq: 2 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().detail).toMatch(/fromSeq/);
      expect((await exportPack({ unknown: 1 })).statusCode).toBe(400);
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/evidence-packs', payload: {} });
      expect(anonymous.statusCode).toBe(401);
    });
  });
}
