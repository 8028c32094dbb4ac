import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`refused credentials on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let realNow: () => Date;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app, { orgName: 'Audited' });
      realNow = t.app.identity.now;
    });
    afterAll(() => t.dispose());

    const members = (credential: string) =>
      t.app.inject({ method: 'GET', url: '/api/members', headers: auth(credential) });
    const refusals = async (org: string) =>
      (await t.runtime.store.readOrg({ org })).filter((e) => e.type === 'cp.identity.credential.refused');
    const later = (ms: number) => {
      const at = new Date(realNow().getTime() + ms);
      t.app.identity.now = () => at;
    };

    it('audits a revoked API key in its org by id, at most once a minute, without the key', async () => {
      const key = await createKey(t.app, { token: owner.token, name: 'retired' });
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/api-keys/${key.id}`,
        headers: auth(owner.token),
      });
      expect(revoke.statusCode).toBe(204);
      try {
        for (let i = 0; i < 5; i++) expect((await members(key.key)).statusCode).toBe(401);
        const first = await refusals(owner.org);
        expect(first.map((e) => e.data)).toEqual([
          { credential: 'api_key', reason: 'revoked', keyId: key.id },
        ]);
        expect(first[0]?.actor).toEqual({ kind: 'apikey', id: key.id });
        const text = JSON.stringify(await t.runtime.store.readOrg({ org: owner.org }));
        expect(text).not.toContain(key.key);
        expect(text).not.toContain(key.key.slice(3));

        later(61_000);
        expect((await members(key.key)).statusCode).toBe(401);
        expect(await refusals(owner.org)).toHaveLength(2);
      } finally {
        t.app.identity.now = realNow;
      }
    });

    it('audits a revoked device token in its org by device id, once a minute', async () => {
      const code = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pairing-codes',
        headers: auth(owner.token),
      });
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code: code.json().code, name: 'old laptop', platform: 'linux' },
      });
      const { token, deviceId } = paired.json();
      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/devices/${deviceId}`,
        headers: auth(owner.token),
      });
      expect(revoke.statusCode).toBe(200);
      for (let i = 0; i < 3; i++) {
        const gate = await t.app.inject({
          method: 'POST',
          url: '/api/mcp/gate',
          headers: auth(token),
          payload: { vendor: 'cursor', tool: 'read', args: {} },
        });
        expect(gate.statusCode).toBe(401);
      }
      const audited = (await refusals(owner.org)).filter((e) => e.data.credential === 'device_token');
      expect(audited.map((e) => e.data)).toEqual([
        { credential: 'device_token', reason: 'revoked', deviceId },
      ]);
      expect(JSON.stringify(await t.runtime.store.readOrg({ org: owner.org }))).not.toContain(token);
    });

    it('audits neither an unknown key nor a forged token: they name no org', async () => {
      const before = await t.runtime.store.readOrg({ org: owner.org });
      expect((await members(`pp_${'x'.repeat(43)}`)).statusCode).toBe(401);
      const [header, payload] = owner.token.split('.');
      expect((await members(`${header}.${payload}.${'A'.repeat(43)}`)).statusCode).toBe(401);
      expect(await t.runtime.store.readOrg({ org: owner.org })).toHaveLength(before.length);
    });

    it('audits an expired session token and one whose user left the org, in that org', async () => {
      const user = await registerAccount(t.app, { orgName: 'Sessions' });
      try {
        later(13 * 3600_000);
        expect((await members(user.token)).statusCode).toBe(401);
        expect((await members(user.token)).statusCode).toBe(401);
        expect((await refusals(user.org)).map((e) => e.data)).toEqual([
          { credential: 'session_token', reason: 'expired', userId: user.userId },
        ]);
      } finally {
        t.app.identity.now = realNow;
      }

      const invited = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(owner.token),
        payload: { email: user.email },
      });
      const token = invited.json().delivery.link.split('#token=')[1];
      const joined = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token },
      });
      expect(joined.statusCode).toBe(200);
      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/members/${user.userId}`,
        headers: auth(owner.token),
      });
      expect(removed.statusCode).toBe(204);
      expect((await members(joined.json().token)).statusCode).toBe(401);
      expect((await refusals(owner.org)).map((e) => e.data)).toContainEqual({
        credential: 'session_token',
        reason: 'not_member',
        userId: user.userId,
      });
    });
  });
}
