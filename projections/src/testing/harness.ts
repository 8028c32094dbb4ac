import { type EventEnvelope, type NewEvent, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@proofpane/core/testing';
import type { Kysely } from 'kysely';
import type { Projection } from '../runner/projection.js';
import { type ProjectionsHandle, startProjections } from '../runner/start-projections.js';

/** A store, its database and running projections on a database of their own, with a settable clock. */
export interface ProjectionHarness {
  db: Kysely<unknown>;
  test: TestDatabase;
  store: PostgresEventStore;
  projections: ProjectionsHandle;
  clock: { now: Date };
  /** Appends, then waits until every projection has applied it. */
  given(org: string, events: NewEvent[]): Promise<EventEnvelope[]>;
  dispose(): Promise<void>;
}

let orgCounter = 0;
export const newOrg = (prefix = 'org') =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${++orgCounter}`;

export async function createProjectionHarness(options: {
  driver: TestDriver;
  projections?: readonly Projection[];
  now?: Date;
}): Promise<ProjectionHarness> {
  const test = await createTestDatabase(options.driver);
  const clock = { now: options.now ?? new Date('2026-03-15T12:00:00.000Z') };
  const store = await PostgresEventStore.open({ database: test.database, now: () => clock.now, pollMs: 50 });
  const projections = await startProjections({
    database: test.database,
    store,
    ...(options.projections ? { projections: options.projections } : {}),
  });
  return {
    db: test.database.db,
    test,
    store,
    projections,
    clock,
    async given(org, events) {
      const appended = await store.append({ org, events });
      await projections.caughtUp();
      return appended;
    },
    async dispose() {
      await projections.stop();
      await store.close();
      await disposeTestDatabase(test);
    },
  };
}

/**
 * Drops a test database after its pool has really gone: closing the pool resolves a moment before
 * its sockets end, and a forced DROP in that moment surfaces as an unhandled 57P01 error.
 */
export async function disposeTestDatabase(test: TestDatabase): Promise<void> {
  await test.database.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  test.database.close = async () => {};
  await test.dispose();
}
