import { ConcurrencyError, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, handleInvitationCommand, handleOrgCommand, IdentityError } from './index.js';

const actor = { kind: 'user' as const, id: 'usr_owner' };
const owner = { role: 'owner' as const, userId: 'usr_owner' };

for (const driver of testDrivers) {
  describe(`identity command handlers on ${driver}`, () => {
    let test: TestDatabase;
    let store: PostgresEventStore;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it('creates an org once and appends nothing for a no-op', async () => {
      const create = { type: 'create-org' as const, name: 'Acme', ownerUserId: 'usr_owner' };
      expect(await handleOrgCommand({ store, org: 'org_h1', actor, command: create })).toHaveLength(2);
      await expect(handleOrgCommand({ store, org: 'org_h1', actor, command: create })).rejects.toThrow(
        IdentityError,
      );
      const same = { type: 'change-role' as const, userId: 'usr_owner', role: 'owner' as const, by: owner };
      expect(await handleOrgCommand({ store, org: 'org_h1', actor, command: same })).toEqual([]);
      expect((await store.head('org_h1'))?.seq).toBe(2);
    });

    it('lets exactly one of two concurrent acceptances of an invitation win', async () => {
      const org = 'org_h2';
      await handleOrgCommand({
        store,
        org,
        actor,
        command: { type: 'create-org', name: 'Race', ownerUserId: 'usr_owner' },
      });
      await handleInvitationCommand({
        store,
        org,
        actor,
        command: {
          type: 'invite',
          invitationId: 'inv_race',
          emailHash: 'c'.repeat(64),
          role: 'member',
          expiresAt: new Date(Date.now() + 3600_000),
          by: owner,
        },
      });
      const accept = (userId: string) =>
        acceptInvitation({
          store,
          org,
          invitationId: 'inv_race',
          userId,
          now: new Date(),
          actor: { kind: 'user', id: userId },
        });
      const results = await Promise.allSettled([accept('usr_x'), accept('usr_y')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason instanceof ConcurrencyError || lost[0]!.reason instanceof IdentityError).toBe(
        true,
      );
      const joined = (await store.readSubject({ org, subject: `org/${org}` })).filter(
        (e) => e.type === 'cp.identity.member.joined',
      );
      expect(joined).toHaveLength(2);
    });
  });
}
