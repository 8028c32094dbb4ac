import { type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateGateway } from './migrations.js';
import { createPolicyStore } from './policies.js';

const actor = { kind: 'user' as const, id: 'usr_policies' };

for (const driver of testDrivers) {
  describe(`the policy store's memory on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
      await migrateGateway(test.database.db);
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it('keeps the compiled policies of at most maxOrgs orgs, dropping the least recently used first', async () => {
      const policies = createPolicyStore({ db: test.database.db, store, maxOrgs: 2, now: () => 0 });
      for (const org of ['org_pa', 'org_pb', 'org_pc'])
        await policies.update({ org, actor, input: { dlp: { EMAIL: 'mask' } } });
      // org_pc and org_pb were written last; org_pa's compiled policy was dropped for org_pc's.
      const b = await policies.current({ org: 'org_pb' });
      const c = await policies.current({ org: 'org_pc' });
      expect(await policies.current({ org: 'org_pb' })).toBe(b);
      expect(await policies.current({ org: 'org_pc' })).toBe(c);
      const a = await policies.current({ org: 'org_pa' });
      expect(a.version).toBe(1);
      expect(a.document.dlp.EMAIL).toBe('mask');
      // Reading org_pa back dropped org_pb (the least recently used): it is compiled anew, same version.
      expect(await policies.current({ org: 'org_pc' })).toBe(c);
      const again = await policies.current({ org: 'org_pb' });
      expect(again).not.toBe(b);
      expect({ version: again.version, document: again.document }).toEqual({
        version: b.version,
        document: b.document,
      });
    });

    it('serves many orgs within its bound, each with its own policy', async () => {
      const policies = createPolicyStore({ db: test.database.db, store, maxOrgs: 10, now: () => 0 });
      const orgs = Array.from({ length: 40 }, (_, i) => `org_many_${i}`);
      for (const [i, org] of orgs.entries())
        await policies.update({ org, actor, input: { dlp: { EMAIL: i % 2 === 0 ? 'mask' : 'block' } } });
      const first = await policies.current({ org: orgs[0]! });
      for (const org of orgs.slice(1)) await policies.current({ org });
      // 39 other orgs since: the first one's entry was dropped, yet its own policy is served.
      const back = await policies.current({ org: orgs[0]! });
      expect(back).not.toBe(first);
      expect(back.document.dlp.EMAIL).toBe('mask');
      expect((await policies.current({ org: orgs[1]! })).document.dlp.EMAIL).toBe('block');
    });
  });
}
