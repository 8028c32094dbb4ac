import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from './testing/identity-test-app.js';

interface Victim {
  owner: Account;
  orgName: string;
  memberId: string;
  memberEmail: string;
  inviteeEmail: string;
  invitationId: string;
  key: { id: string; key: string };
  keyPrefix: string;
}

async function setUpVictim(t: TestApp): Promise<Victim> {
  const orgName = `Victim Org ${Math.random().toString(36).slice(2)}`;
  const owner = await registerAccount(t.app, { orgName, email: 'victim-owner@victim.test' });
  const invite = (email: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: auth(owner.token),
      payload: { email, role: 'member' },
    });
  const joined = await invite('victim-member@victim.test');
  const token = joined.json().delivery.link.split('#token=')[1];
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    payload: { token, password: 'victim member password' },
  });
  const pending = await invite('victim-invitee@victim.test');
  const key = await createKey(t.app, { token: owner.token, role: 'admin', name: 'victim key' });
  return {
    owner,
    orgName,
    memberId: accepted.json().user.id,
    memberEmail: 'victim-member@victim.test',
    inviteeEmail: 'victim-invitee@victim.test',
    invitationId: pending.json().id,
    key,
    keyPrefix: key.key.slice(0, 11),
  };
}

async function snapshot(t: TestApp, v: Victim) {
  const get = async (url: string) =>
    (await t.app.inject({ method: 'GET', url, headers: auth(v.owner.token) })).json() as unknown;
  return {
    head: await t.runtime.store.head(v.owner.org),
    members: await get('/api/members'),
    apiKeys: await get('/api/api-keys'),
    invitations: await get('/api/invitations'),
    orgs: await get('/api/orgs'),
  };
}

const fill = (url: string, value: string) =>
  url.replace(/:[A-Za-z0-9_]+/g, value).replace(/\*$/, 'index.html');

const withinTime = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref()),
  ]);

for (const driver of testDrivers) {
  describe(`tenant isolation over the whole route table on ${driver}`, () => {
    let t: TestApp;
    let victim: Victim;
    let attacker: Account;
    let attackerKey: string;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_TOKEN_TTL: '7d' } });
      victim = await setUpVictim(t);
      attacker = await registerAccount(t.app, { orgName: 'Attacker', email: 'attacker@evil.test' });
      attackerKey = (await createKey(t.app, { token: attacker.token, role: 'admin' })).key;
    });
    afterAll(() => t.dispose());

    it('returns and changes nothing of another org, with a valid token or key of the attacker’s own', async () => {
      const before = await snapshot(t, victim);
      const routes = t.app.routeTable.filter((r) => r.method !== 'OPTIONS');
      expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining([
          'DELETE /api/members/:userId',
          'DELETE /api/api-keys/:id',
          'GET /api/members',
        ]),
      );
      const victimIds = [
        victim.owner.org,
        victim.owner.userId,
        victim.memberId,
        victim.key.id,
        victim.invitationId,
      ];
      const neverShown = [
        victim.orgName,
        victim.owner.email,
        victim.memberEmail,
        victim.inviteeEmail,
        victim.keyPrefix,
      ];
      const body = {
        org: victim.owner.org,
        orgId: victim.owner.org,
        userId: victim.memberId,
        id: victim.key.id,
        role: 'owner',
        name: 'walk',
        orgName: 'walk',
        email: attacker.email,
        password: attacker.password,
        token: 'x'.repeat(43),
      };
      let calls = 0;
      const streaming = new Set<string>();
      for (const route of routes) {
        const values = route.url.includes(':') ? victimIds : [''];
        for (const value of values) {
          for (const credential of [attacker.token, attackerKey]) {
            if (streaming.has(route.url)) continue;
            const request: InjectOptions = {
              method: route.method as InjectOptions['method'],
              url: `${fill(route.url, value)}?org=${victim.owner.org}&orgId=${victim.owner.org}`,
              headers: auth(credential),
              ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: body } : {}),
            };
            const res = await withinTime(t.app.inject(request), 5_000);
            calls += 1;
            if (res === 'timed out') {
              streaming.add(route.url);
              continue;
            }
            const where = `${route.method} ${request.url} → ${res.statusCode}`;
            for (const marker of neverShown) expect(res.body, where).not.toContain(marker);
            if (res.statusCode < 400) for (const id of victimIds) expect(res.body, where).not.toContain(id);
          }
        }
      }
      expect(calls).toBeGreaterThan(routes.length);
      expect(await snapshot(t, victim)).toEqual(before);
    }, 300_000);
  });
}
