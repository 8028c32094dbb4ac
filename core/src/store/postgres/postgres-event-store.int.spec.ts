import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDrivers } from '../../testing/databases.js';
import { eventStoreContract } from '../../testing/event-store-contract.js';
import { noted, testCatalogue } from '../../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';

for (const driver of testDrivers) {
  eventStoreContract(`postgres adapter on ${driver}`, async () => {
    const test = await createTestDatabase(driver);
    const store = await PostgresEventStore.open({
      database: test.database,
      catalogue: testCatalogue,
      pollMs: 50,
    });
    return {
      store,
      openPeer: () =>
        PostgresEventStore.open({ database: test.database, catalogue: testCatalogue, pollMs: 50 }),
      database: test.database,
      dispose: async () => {
        await store.close();
        await test.dispose();
      },
    };
  });

  describe(`postgres adapter on ${driver}: schema`, () => {
    it('opens an existing store again without touching its events (migrations run once)', async () => {
      const test = await createTestDatabase(driver);
      try {
        const first = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
        const [appended] = await first.append({ org: 'org_reopen', events: [noted(1)] });
        await first.close();
        const again = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
        expect(await again.readOrg({ org: 'org_reopen' })).toEqual([appended]);
        expect(await again.verifyChain({ org: 'org_reopen' })).toMatchObject({ ok: true, checked: 1 });
        await again.close();
      } finally {
        await test.dispose();
      }
    });
  });
}
