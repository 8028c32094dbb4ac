import { join } from 'node:path';
import {
  type Database,
  type EventStore,
  openDatabase,
  PostgresEventStore,
  SigningKeyring,
} from '@proofpane/core';
import type { Config } from '../config.js';

/** The long-lived parts the HTTP app and the CLI share: database, event store, signing keys. */
export interface Runtime {
  config: Config;
  database: Database;
  store: EventStore;
  keyring: SigningKeyring;
  close(): Promise<void>;
}

export async function openRuntime(options: { config: Config; database?: Database }): Promise<Runtime> {
  const { config } = options;
  const database =
    options.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pglite'),
    }));
  // Partitioning is PostgreSQL's: the embedded PGlite keeps one table.
  const partitions = database.driver === 'postgres' ? config.eventsPartitions : 0;
  const store = await PostgresEventStore.open({ database, partitions });
  const keyring = SigningKeyring.open({ dataDir: config.dataDir, envSeed: config.signingKeySeed });
  let closed = false;
  return {
    config,
    database,
    store,
    keyring,
    close: async () => {
      if (closed) return;
      closed = true;
      await store.close();
      if (!options.database) await database.close();
    },
  };
}
