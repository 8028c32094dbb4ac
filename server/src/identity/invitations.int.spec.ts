import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
  strongTestPassword,
} from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`invitations without SMTP on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    beforeAll(async () => {
      t = await createIdentityTestApp({
        driver,
        env: { PROOFPANE_PUBLIC_URL: 'https://pp.example/', PROOFPANE_TOKEN_TTL: '7d' },
      });
      owner = await registerAccount(t.app, { orgName: 'Inviters' });
    });
    afterAll(() => t.dispose());

    const invite = (token: string, email: string, role = 'member') =>
      t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(token),
        payload: { email, role },
      });
    const accept = (token: string, password?: string) =>
      t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: { token, password } });
    const tokenOf = (res: { json(): { delivery: { link: string } } }) =>
      res.json().delivery.link.split('#token=')[1]!;

    it('returns the link to the inviting admin, labelled, and audits the invitation without email or token', async () => {
      const res = await invite(owner.token, 'Carol@Example.test', 'admin');
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ email: 'carol@example.test', role: 'admin', delivery: { method: 'log' } });
      expect(body.delivery.note).toMatch(/SMTP is not configured/);
      expect(body.delivery.link).toMatch(
        /^https:\/\/pp\.example\/invitations\/accept#token=[A-Za-z0-9_-]{43}$/,
      );
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(71 * 3600_000);
      const events = await t.runtime.store.readOrg({ org: owner.org });
      const invited = events.find((e) => e.type === 'cp.identity.member.invited');
      expect(invited?.data).toMatchObject({ invitationId: body.id, role: 'admin' });
      const text = JSON.stringify(events);
      expect(text).not.toContain('carol@example.test');
      expect(text).not.toContain(tokenOf(res));
    });

    it('creates the invitee’s account on acceptance, once', async () => {
      const res = await invite(owner.token, 'dave@example.test');
      const token = tokenOf(res);
      const noPassword = await accept(token);
      expect(noPassword.statusCode).toBe(400);
      expect(noPassword.json().errors).toEqual([{ field: 'body.password', message: expect.any(String) }]);
      const weak = await accept(token, 'password');
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ code: 'validation_failed' });
      expect(weak.json().errors).toEqual([
        { field: 'body.password', message: expect.stringMatching(/heavily used password.*Add more words/) },
      ]);
      // The org's name is one of the first things a guesser tries.
      const fromOrgName = await accept(token, 'inviters2024');
      expect(fromOrgName.statusCode).toBe(400);
      expect(fromOrgName.json().errors[0].message).toMatch(/email address or organisation name/);

      const ok = await accept(token, strongTestPassword);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        org: { id: owner.org, name: 'Inviters' },
        role: 'member',
        user: { email: 'dave@example.test' },
      });
      const members = await t.app.inject({
        method: 'GET',
        url: '/api/members',
        headers: auth(ok.json().token),
      });
      expect(members.json().members.map((m: { email: string }) => m.email)).toContain('dave@example.test');
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'dave@example.test', password: strongTestPassword },
      });
      expect(login.statusCode).toBe(200);

      const again = await accept(token, strongTestPassword);
      expect(again.statusCode).toBe(410);
      expect(again.json().code).toBe('invitation_used');
    });

    it('links an existing account without asking for a password', async () => {
      const erin = await registerAccount(t.app, { email: 'erin@example.test' });
      const res = await accept(tokenOf(await invite(owner.token, 'erin@example.test')));
      expect(res.statusCode).toBe(200);
      expect(res.json().user.id).toBe(erin.userId);
      const orgs = await t.app.inject({ method: 'GET', url: '/api/orgs', headers: auth(erin.token) });
      expect(orgs.json().orgs.map((o: { id: string }) => o.id)).toEqual([erin.org, owner.org]);
      const twice = await invite(owner.token, 'erin@example.test');
      expect(twice.statusCode).toBe(409);
      expect(twice.json().code).toBe('already_member');
    });

    it('refuses an expired invitation', async () => {
      const token = tokenOf(await invite(owner.token, 'frank@example.test'));
      const realNow = t.app.identity.now;
      t.app.identity.now = () => new Date(Date.now() + 73 * 3600_000);
      try {
        const res = await accept(token, 'frank password');
        expect(res.statusCode).toBe(410);
        expect(res.json().code).toBe('invitation_expired');
        const list = await t.app.inject({
          method: 'GET',
          url: '/api/invitations',
          headers: auth(owner.token),
        });
        const frank = list
          .json()
          .invitations.find((i: { email: string }) => i.email === 'frank@example.test');
        expect(frank.status).toBe('expired');
        const expired = await t.app.inject({
          method: 'GET',
          url: '/api/invitations?status=expired',
          headers: auth(owner.token),
        });
        expect(expired.json().invitations.map((i: { email: string }) => i.email)).toContain(
          'frank@example.test',
        );
        expect(expired.json().invitations.every((i: { status: string }) => i.status === 'expired')).toBe(
          true,
        );
      } finally {
        t.app.identity.now = realNow;
      }
    });

    it('refuses a revoked invitation and an unknown token', async () => {
      const res = await invite(owner.token, 'gina@example.test');
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/invitations/${res.json().id}`,
        headers: auth(owner.token),
      });
      expect(revoked.statusCode).toBe(204);
      const accepted = await accept(tokenOf(res), strongTestPassword);
      expect(accepted.json().code).toBe('invitation_revoked');
      const unknown = await accept('x'.repeat(43), strongTestPassword);
      expect(unknown.statusCode).toBe(404);
      const missing = await t.app.inject({
        method: 'DELETE',
        url: '/api/invitations/inv_nope',
        headers: auth(owner.token),
      });
      expect(missing.json()).toMatchObject({ code: 'invitation_not_found', status: 404 });
    });

    it('lets only admins invite, and no one invite above their own role', async () => {
      const mallory = await accept(
        tokenOf(await invite(owner.token, 'mallory@example.test', 'member')),
        'mallory pw 123',
      );
      const byMember = await invite(mallory.json().token, 'friend@example.test');
      expect(byMember.statusCode).toBe(403);
      const admin = await accept(
        tokenOf(await invite(owner.token, 'ivy@example.test', 'admin')),
        'ivy password 1',
      );
      const ownerByAdmin = await invite(admin.json().token, 'boss@example.test', 'owner');
      expect(ownerByAdmin.statusCode).toBe(403);
      expect(ownerByAdmin.json().code).toBe('role_too_high');
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/invitations',
        headers: auth(mallory.json().token),
      });
      expect(list.statusCode).toBe(403);
    });
  });
}
