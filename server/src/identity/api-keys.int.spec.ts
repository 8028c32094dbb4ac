import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import { API_KEY_CACHE_MS } from './api-key-cache.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`org API keys on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app, { orgName: 'Keyed' });
    });
    afterAll(() => t.dispose());

    it('shows a new key once, stores only its hash, and audits it by prefix', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: auth(owner.token),
        payload: { name: 'deploy bot', agent: 'deployer' },
      });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({ name: 'deploy bot', role: 'member' });
      expect(created.key).toMatch(/^pp_[A-Za-z0-9_-]{43}$/);
      expect(created.key.startsWith(created.prefix)).toBe(true);

      const rows = await t.app.identity.db
        .selectFrom('identity_api_keys')
        .selectAll()
        .where('id', '=', created.id)
        .execute();
      expect(JSON.stringify(rows)).not.toContain(created.key);
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.at(-1)).toMatchObject({
        type: 'cp.identity.api-key.created',
        data: { keyId: created.id, prefix: created.prefix, role: 'member', agent: 'deployer' },
      });
      expect(JSON.stringify(events)).not.toContain(created.key);

      const list = await t.app.inject({ method: 'GET', url: '/api/api-keys', headers: auth(owner.token) });
      expect(list.json().apiKeys).toEqual([
        expect.objectContaining({
          id: created.id,
          prefix: created.prefix,
          last4: created.key.slice(-4),
          lastUsedAt: null,
          revokedAt: null,
        }),
      ]);
      expect(list.body).not.toContain(created.key);
    });

    it('authenticates a program within its org, with its role, and records its last use', async () => {
      const key = await createKey(t.app, { token: owner.token, role: 'member' });
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth(key.key) });
      expect(me.json()).toMatchObject({
        org: { id: owner.org },
        role: 'member',
        actor: { kind: 'apikey', id: key.id },
      });
      const members = await t.app.inject({ method: 'GET', url: '/api/members', headers: auth(key.key) });
      expect(members.statusCode).toBe(200);
      const adminOnly = await t.app.inject({ method: 'GET', url: '/api/api-keys', headers: auth(key.key) });
      expect(adminOnly.statusCode).toBe(403);
      const list = await t.app.inject({ method: 'GET', url: '/api/api-keys', headers: auth(owner.token) });
      const row = list.json().apiKeys.find((k: { id: string }) => k.id === key.id);
      expect(row.lastUsedAt).not.toBeNull();
    });

    it('lets an admin key manage keys, but not mint owners', async () => {
      const admin = await createKey(t.app, { token: owner.token, role: 'admin' });
      const made = await createKey(t.app, { token: admin.key, role: 'admin' });
      expect(made.key).toMatch(/^pp_/);
      const owners = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: auth(admin.key),
        payload: { name: 'x', role: 'owner' },
      });
      expect(owners.statusCode).toBe(400);
      expect(owners.json().errors[0].field).toBe('body.role');
    });

    it('revokes a key at once: its next request is refused', async () => {
      const key = await createKey(t.app, { token: owner.token });
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/members', headers: auth(key.key) })).statusCode,
      ).toBe(200);
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/api-keys/${key.id}`,
        headers: auth(owner.token),
      });
      expect(revoked.statusCode).toBe(204);
      const next = await t.app.inject({ method: 'GET', url: '/api/members', headers: auth(key.key) });
      expect(next.statusCode).toBe(401);
      expect(next.json().code).toBe('unauthenticated');
      const again = await t.app.inject({
        method: 'DELETE',
        url: `/api/api-keys/${key.id}`,
        headers: auth(owner.token),
      });
      expect(again.json()).toMatchObject({ code: 'api_key_revoked', status: 409 });
      const unknown = await t.app.inject({
        method: 'DELETE',
        url: '/api/api-keys/key_nope',
        headers: auth(owner.token),
      });
      expect(unknown.json()).toMatchObject({ code: 'api_key_not_found', status: 404 });
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.filter((e) => e.type === 'cp.identity.api-key.revoked').map((e) => e.data)).toEqual([
        { keyId: key.id },
      ]);
    });

    it('refuses a key revoked by another process once the key cache expires', async () => {
      const key = await createKey(t.app, { token: owner.token });
      const members = () => t.app.inject({ method: 'GET', url: '/api/members', headers: auth(key.key) });
      expect((await members()).statusCode).toBe(200);
      // Another process's revocation reaches this one only through the table.
      await t.app.identity.db
        .updateTable('identity_api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', key.id)
        .execute();
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        expect((await members()).statusCode).toBe(200);
        vi.setSystemTime(Date.now() + API_KEY_CACHE_MS + 1);
        expect((await members()).statusCode).toBe(401);
      } finally {
        vi.useRealTimers();
      }
    });
  });
}
