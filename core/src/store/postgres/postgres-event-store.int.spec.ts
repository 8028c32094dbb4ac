import { createTestDatabase, testDrivers } from '../../testing/databases.js';
import { eventStoreContract } from '../../testing/event-store-contract.js';
import { testCatalogue } from '../../testing/test-catalogue.js';
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
}
