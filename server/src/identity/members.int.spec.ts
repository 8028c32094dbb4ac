import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import { type Account, auth, createIdentityTestApp, registerAccount } from './testing/identity-test-app.js';

/** Invites `email` into the owner's org with `role` and accepts; returns the new member's token and id. */
async function join(t: TestApp, owner: Account, email: string, role: 'owner' | 'admin' | 'member') {
  const invited = await t.app.inject({
    method: 'POST',
    url: '/api/invitations',
    headers: auth(owner.token),
    payload: { email, role },
  });
  const link: string = invited.json().delivery.link;
  const token = link.split('#token=')[1];
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    payload: { token, password: 'a member password' },
  });
  if (accepted.statusCode !== 200) throw new Error(accepted.body);
  const body = accepted.json();
  return { token: body.token as string, userId: body.user.id as string };
}

for (const driver of testDrivers) {
  describe(`members and roles on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let admin: { token: string; userId: string };
    let member: { token: string; userId: string };
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app, { orgName: 'Roster' });
      admin = await join(t, owner, 'admin@roster.test', 'admin');
      member = await join(t, owner, 'member@roster.test', 'member');
    });
    afterAll(() => t.dispose());

    const patch = (token: string, userId: string, role: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/members/${userId}`,
        headers: auth(token),
        payload: { role },
      });
    const remove = (token: string, userId: string) =>
      t.app.inject({ method: 'DELETE', url: `/api/members/${userId}`, headers: auth(token) });

    it('lists the roster to any member', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/members', headers: auth(member.token) });
      expect(res.statusCode).toBe(200);
      expect(res.json().members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
        [owner.email, 'owner'],
        ['admin@roster.test', 'admin'],
        ['member@roster.test', 'member'],
      ]);
    });

    it('lets admins change roles, but not members, and keeps owners in owners’ hands', async () => {
      expect((await patch(member.token, member.userId, 'admin')).statusCode).toBe(403);
      const promoted = await patch(admin.token, member.userId, 'admin');
      expect(promoted.statusCode).toBe(200);
      expect(promoted.json()).toMatchObject({ userId: member.userId, role: 'admin' });
      expect((await patch(admin.token, member.userId, 'member')).json().role).toBe('member');

      const demoteOwner = await patch(admin.token, owner.userId, 'member');
      expect(demoteOwner.statusCode).toBe(403);
      expect(demoteOwner.json().code).toBe('owner_only');
      expect((await patch(admin.token, admin.userId, 'owner')).json().code).toBe('role_too_high');
      expect((await remove(admin.token, owner.userId)).json().code).toBe('owner_only');
      expect((await patch(owner.token, 'usr_nobody', 'admin')).json()).toMatchObject({
        code: 'not_member',
        status: 404,
      });
    });

    it('never removes or demotes the last owner', async () => {
      const demote = await patch(owner.token, owner.userId, 'admin');
      expect(demote.statusCode).toBe(409);
      expect(demote.json().code).toBe('last_owner');
      const leave = await remove(owner.token, owner.userId);
      expect(leave.statusCode).toBe(409);
      expect(leave.json().code).toBe('last_owner');
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.filter((e) => e.type === 'cp.identity.member.removed')).toHaveLength(0);
    });

    it('lets an owner hand over: promote a second owner, then step down', async () => {
      expect((await patch(owner.token, admin.userId, 'owner')).statusCode).toBe(200);
      expect((await patch(admin.token, owner.userId, 'admin')).statusCode).toBe(200);
      expect((await patch(owner.token, admin.userId, 'member')).statusCode).toBe(403);
      expect((await patch(admin.token, owner.userId, 'owner')).statusCode).toBe(200);
    });

    it('removes a member, whose token is refused on the next request', async () => {
      expect((await remove(member.token, admin.userId)).statusCode).toBe(403);
      const res = await remove(owner.token, member.userId);
      expect(res.statusCode).toBe(204);
      const after = await t.app.inject({ method: 'GET', url: '/api/members', headers: auth(member.token) });
      expect(after.statusCode).toBe(401);
      const events = await t.runtime.store.readOrg({ org: owner.org });
      expect(events.slice(-2)).toMatchObject([
        {
          type: 'cp.identity.member.removed',
          data: { userId: member.userId, role: 'member' },
          actor: { kind: 'user', id: owner.userId },
        },
        // The refused token of the removed member is itself audited.
        {
          type: 'cp.identity.credential.refused',
          data: { credential: 'session_token', reason: 'not_member', userId: member.userId },
        },
      ]);
    });

    it('lets a member leave on their own', async () => {
      const leaver = await join(t, owner, 'leaver@roster.test', 'member');
      expect((await remove(leaver.token, leaver.userId)).statusCode).toBe(204);
      const list = await t.app.inject({ method: 'GET', url: '/api/members', headers: auth(owner.token) });
      expect(list.json().members.map((m: { userId: string }) => m.userId)).not.toContain(leaver.userId);
    });
  });
}
