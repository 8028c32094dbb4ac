import { PLATFORM_ORG } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
  strongTestPassword,
} from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`sign-up, sign-in and org switching on ${driver}`, () => {
    let t: TestApp;
    let alice: Account;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      alice = await registerAccount(t.app, { orgName: 'Alice Inc', email: 'Alice@Example.test' });
    });
    afterAll(() => t.dispose());

    it('registers a user with a new org they own, and audits it without the email', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'bob@example.test', password: 'bob password 1', orgName: 'Bob Ltd' },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ user: { email: 'bob@example.test' }, org: { name: 'Bob Ltd' } });
      expect(body.token.split('.')).toHaveLength(3);
      const events = await t.runtime.store.readOrg({ org: body.org.id });
      expect(events.map((e) => e.type)).toEqual(['cp.identity.org.created', 'cp.identity.member.joined']);
      expect(events[1]?.data).toEqual({ userId: body.user.id, role: 'owner', via: 'registration' });
      const platform = await t.runtime.store.readOrg({ org: PLATFORM_ORG });
      expect(
        platform.some(
          (e) =>
            e.type === 'cp.identity.user.registered' &&
            e.data &&
            JSON.stringify(e.data).includes(body.user.id),
        ),
      ).toBe(true);
      const everything = JSON.stringify([...events, ...platform]);
      expect(everything).not.toContain('bob@example.test');
      expect(everything).not.toContain('bob password 1');
    });

    it('refuses a guessable password at sign-up, saying what to change', async () => {
      const register = (password: string, orgName = 'Weak Ltd') =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/register',
          payload: { email: 'weak@example.test', password, orgName },
        });
      for (const [password, advice] of [
        ['password', /heavily used password/],
        ['12345678', /heavily used password/],
        ['        ', /Repeated characters/],
        ['Ravenholt2024', /email address or organisation name/],
      ] as const) {
        const res = await register(password, 'Ravenholt');
        expect(res.statusCode, password).toBe(400);
        expect(res.json()).toMatchObject({ code: 'validation_failed' });
        expect(res.json().errors).toEqual([
          { field: 'body.password', message: expect.stringMatching(advice) },
        ]);
      }
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'weak@example.test', password: 'password' },
      });
      expect(login.statusCode).toBe(401);
      expect((await register(strongTestPassword)).statusCode).toBe(201);
    });

    it('refuses a second account for the same email, whatever its case', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'ALICE@example.TEST', password: 'another password', orgName: 'Again' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'conflict' });
    });

    it('signs in with the right password only, recording failures in the right stream', async () => {
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'alice@example.test', password: alice.password },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        org: { id: alice.org, name: 'Alice Inc' },
        user: { id: alice.userId },
      });

      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'alice@example.test', password: 'not her password' },
      });
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.test', password: 'whatever it is' },
      });
      expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
      expect(wrong.json().detail).toBe(unknown.json().detail);

      const orgEvents = await t.runtime.store.readOrg({ org: alice.org });
      expect(orgEvents.at(-1)).toMatchObject({
        type: 'cp.identity.login.failed',
        data: { reason: 'wrong_password', userId: alice.userId },
      });
      const platform = await t.runtime.store.readOrg({ org: PLATFORM_ORG });
      expect(platform.at(-1)).toMatchObject({
        type: 'cp.identity.login.failed',
        data: { reason: 'unknown_user' },
      });
      expect(JSON.stringify(platform)).not.toContain('nobody@example.test');
    });

    it('lists the user’s orgs and switches between them, only into orgs they belong to', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/orgs',
        headers: auth(alice.token),
        payload: { name: 'Alice Labs' },
      });
      expect(created.statusCode).toBe(201);
      const labs = created.json().org;
      expect(labs).toMatchObject({ name: 'Alice Labs', role: 'owner' });

      const list = await t.app.inject({ method: 'GET', url: '/api/orgs', headers: auth(alice.token) });
      expect(list.json().orgs.map((o: { name: string }) => o.name)).toEqual(['Alice Inc', 'Alice Labs']);

      const switched = await t.app.inject({
        method: 'POST',
        url: '/api/auth/switch',
        headers: auth(alice.token),
        payload: { org: labs.id },
      });
      expect(switched.statusCode).toBe(200);
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: auth(switched.json().token),
      });
      expect(me.json()).toMatchObject({
        org: { id: labs.id, name: 'Alice Labs' },
        role: 'owner',
        user: { id: alice.userId },
      });

      const stranger = await registerAccount(t.app);
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/auth/switch',
        headers: auth(stranger.token),
        payload: { org: labs.id },
      });
      expect(refused.statusCode).toBe(403);

      const key = await createKey(t.app, { token: alice.token });
      const byKey = await t.app.inject({
        method: 'POST',
        url: '/api/auth/switch',
        headers: auth(key.key),
        payload: { org: labs.id },
      });
      expect(byKey.statusCode).toBe(403);
      const keyOrgs = await t.app.inject({ method: 'GET', url: '/api/orgs', headers: auth(key.key) });
      expect(keyOrgs.json().orgs).toEqual([{ id: alice.org, name: 'Alice Inc', role: 'admin' }]);
    });

    it('signs in to a named org, and refuses one the user is not in', async () => {
      const stranger = await registerAccount(t.app);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: alice.email, password: alice.password, org: stranger.org },
      });
      expect(res.statusCode).toBe(403);
    });

    it('answers 401 with a challenge for missing, malformed, forged and expired credentials', async () => {
      const none = await t.app.inject({ method: 'GET', url: '/api/members' });
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="proofpane"');
      expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(none.json()).toMatchObject({ code: 'unauthenticated', status: 401 });

      const basic = await t.app.inject({
        method: 'GET',
        url: '/api/members',
        headers: { authorization: 'Basic abc' },
      });
      expect(basic.statusCode).toBe(401);
      const [head, payload] = alice.token.split('.');
      const forged = await t.app.inject({
        method: 'GET',
        url: '/api/members',
        headers: auth(`${head}.${payload}.${'A'.repeat(43)}`),
      });
      expect(forged.statusCode).toBe(401);
      const unknownKey = await t.app.inject({
        method: 'GET',
        url: '/api/members',
        headers: auth(`pp_${'x'.repeat(43)}`),
      });
      expect(unknownKey.statusCode).toBe(401);

      const realNow = t.app.identity.now;
      t.app.identity.now = () => new Date(Date.now() + 13 * 3600_000);
      try {
        const expired = await t.app.inject({
          method: 'GET',
          url: '/api/members',
          headers: auth(alice.token),
        });
        expect(expired.statusCode).toBe(401);
        expect(expired.json().detail).toMatch(/expired/);
      } finally {
        t.app.identity.now = realNow;
      }
    });
  });
}
