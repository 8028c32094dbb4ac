import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/test-app.js';
import { auth, createIdentityTestApp, createKey, registerAccount } from '../testing/identity-test-app.js';
import { rebuildIdentityTables } from './rebuild.js';

for (const driver of testDrivers) {
  describe(`rebuilding the identity tables on ${driver}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
    });
    afterAll(() => t.dispose());

    it('gives back the same orgs, memberships and revocations from the events alone', async () => {
      const a = await registerAccount(t.app, { orgName: 'Rebuilt' });
      const invited = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(a.token),
        payload: { email: 'r@example.test', role: 'admin' },
      });
      const token = invited.json().delivery.link.split('#token=')[1];
      const joined = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: 'r password 1' },
      });
      await t.app.inject({
        method: 'PATCH',
        url: `/api/members/${joined.json().user.id}`,
        headers: auth(a.token),
        payload: { role: 'member' },
      });
      const key = await createKey(t.app, { token: a.token });
      await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${key.id}`, headers: auth(a.token) });
      await registerAccount(t.app, { orgName: 'Other' });

      const db = t.app.identity.db;
      const read = async () => ({
        orgs: await db.selectFrom('identity_orgs').selectAll().orderBy('id').execute(),
        members: await db
          .selectFrom('identity_memberships')
          .selectAll()
          .orderBy('org')
          .orderBy('user_id')
          .execute(),
        keys: await db.selectFrom('identity_api_keys').select(['id', 'revoked_at']).orderBy('id').execute(),
        invitations: await db
          .selectFrom('identity_invitations')
          .select(['id', 'status', 'accepted_by'])
          .orderBy('id')
          .execute(),
      });
      const before = await read();
      expect(
        before.members
          .filter((m) => m.org === a.org)
          .map((m) => m.role)
          .sort(),
      ).toEqual(['member', 'owner']);
      expect(await rebuildIdentityTables({ db, store: t.runtime.store })).toBeGreaterThan(6);
      expect(await read()).toEqual(before);
    });
  });
}
