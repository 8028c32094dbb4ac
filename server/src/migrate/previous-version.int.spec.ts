import { randomUUID } from 'node:crypto';
import { documentMigrations } from '@proofpane/commands';
import { PostgresEventStore } from '@proofpane/core';
import {
  createTestDatabase,
  noted,
  type TestDatabase,
  testCatalogue,
  testDrivers,
} from '@proofpane/core/testing';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { budgetMigrations } from '../../../commands/src/budget/migrations.js';
import { readModelMigrations } from '../../../projections/src/migrations.js';
import { deviceMigrations } from '../devices/tables.js';
import { integrationMigrations } from '../integrations/tables.js';
import { migrateDeployment } from './migrate-deployment.js';
import { MIGRATION_SETS } from './migration-sets.js';

/** Each table group with more than one migration: the versions a database can be found at. */
const HISTORIES: { set: string; migrations: (db: Kysely<unknown>) => Promise<Record<string, Migration>> }[] =
  [
    { set: 'budget', migrations: async () => budgetMigrations },
    // The vector column's type is chosen by the first migration; the float array is the portable one.
    { set: 'documents', migrations: async () => documentMigrations('float4-array') },
    { set: 'devices', migrations: async () => deviceMigrations },
    { set: 'integrations', migrations: async () => integrationMigrations },
    { set: 'read-models', migrations: async () => readModelMigrations },
  ];

/**
 * Migrations that move rows out of a table they drop, with what must hold afterwards: the rows'
 * answers, in their new home.
 */
const MOVED: Record<string, (db: Kysely<unknown>, before: Map<string, Row[]>) => Promise<void>> = {
  async document_terms(db, before) {
    const { rows } = await sql<{ term: string; chunk_ids: string[] }>`
      SELECT term, chunk_ids FROM document_postings`.execute(db);
    for (const old of before.get('document_terms') ?? []) {
      const posting = rows.find((r) => r.term === old.term);
      expect(posting?.chunk_ids, `posting of ${String(old.term)}`).toContain(old.chunk_id);
    }
  },
};

type Row = Record<string, unknown>;
/** A database per earlier version: many on a busy machine. */
const SLOW = 900_000;
interface Column {
  name: string;
  udt: string;
}

async function tables(db: Kysely<unknown>): Promise<Map<string, Column[]>> {
  const { rows } = await sql<{ table: string; name: string; udt: string }>`
    SELECT c.table_name AS table, c.column_name AS name, c.udt_name AS udt
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name, c.ordinal_position`.execute(db);
  const out = new Map<string, Column[]>();
  for (const r of rows) out.set(r.table, [...(out.get(r.table) ?? []), { name: r.name, udt: r.udt }]);
  return out;
}

/** A value of the column's type, distinct per row, as JSON that `jsonb_populate_record` reads. */
function sample(table: string, column: Column, i: number): unknown {
  switch (column.udt) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8':
      return i + 1;
    case 'bool':
      return i % 2 === 0;
    case 'timestamptz':
    case 'timestamp':
      return `2026-0${(i % 9) + 1}-15T10:00:00.000Z`;
    case 'date':
      return `2026-0${(i % 9) + 1}-15`;
    case 'uuid':
      return randomUUID();
    case 'json':
    case 'jsonb':
      return { sample: i, table };
    case 'bytea':
      return `\\x0${i}`;
    case '_text':
      return [`${column.name}-${i}`];
    case '_int4':
    case '_int8':
    case '_float4':
      return [i + 1];
    case 'vector':
      return `[${i + 1},0,1]`;
    default:
      return `${table}.${column.name}.${i}`;
  }
}

async function rowsOf(db: Kysely<unknown>, table: string): Promise<Row[]> {
  const { rows } = await sql<{ row: Row }>`SELECT to_jsonb(t) AS row FROM ${sql.table(table)} t`.execute(db);
  return rows.map((r) => r.row);
}

async function eventHashes(db: Kysely<unknown>) {
  const { rows } = await sql<{ org: string; seq: string; body: string; prev: string; hash: string }>`
    SELECT org, seq, body, prev, hash FROM events ORDER BY position`.execute(db);
  return rows;
}

for (const driver of testDrivers) {
  describe(`migrating a database populated at each earlier version, on ${driver}`, () => {
    const databases: TestDatabase[] = [];
    afterEach(async () => {
      for (const database of databases.splice(0)) await database.dispose();
    });

    it(
      'lists every group that has more than one migration',
      async () => {
        const target = await createTestDatabase(driver);
        databases.push(target);
        const store = await PostgresEventStore.open({ database: target.database, catalogue: testCatalogue });
        await migrateDeployment({ db: target.database.db });
        await store.close();
        const multi: string[] = [];
        for (const set of MIGRATION_SETS) {
          const { rows } = await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM ${sql.table(set.table)}`.execute(target.database.db);
          if ((rows[0]?.n ?? 0) > 1) multi.push(set.name);
        }
        expect(multi.sort()).toEqual(HISTORIES.map((h) => h.set).sort());
      },
      SLOW,
    );

    for (const history of HISTORIES) {
      it(
        `${history.set}: rows written at each earlier version survive, and no event is rewritten`,
        async () => {
          const probe = await createTestDatabase(driver);
          databases.push(probe);
          const names = Object.keys(await history.migrations(probe.database.db)).sort();
          expect(names.length).toBeGreaterThan(1);
          const set = MIGRATION_SETS.find((s) => s.name === history.set);
          if (!set) throw new Error(`no migration set ${history.set}`);

          for (const previous of names.slice(0, -1)) {
            const target = await createTestDatabase(driver);
            databases.push(target);
            const { db } = target.database;
            const store = await PostgresEventStore.open({
              database: target.database,
              catalogue: testCatalogue,
            });
            for (const org of ['org_migrate_a', 'org_migrate_b'])
              await store.append({ org, events: [noted(1), noted(2), noted(3, 'item/1')] });

            const existing = new Set((await tables(db)).keys());
            const migrator = new Migrator({
              db,
              provider: { getMigrations: () => history.migrations(db) },
              migrationTableName: set.table,
              migrationLockTableName: `${set.table}_lock`,
            });
            const at = await migrator.migrateTo(previous);
            expect(at.error, `${history.set} to ${previous}`).toBeUndefined();

            // Rows in every table this group had at that version, two per table.
            const before = new Map<string, Row[]>();
            for (const [table, columns] of await tables(db)) {
              if (existing.has(table) || table.endsWith('_migrations') || table.endsWith('_migrations_lock'))
                continue;
              const rows = [0, 1].map((i) =>
                Object.fromEntries(columns.map((c) => [c.name, sample(table, c, i)])),
              );
              await sql`INSERT INTO ${sql.table(table)}
              SELECT * FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
                db,
              );
              before.set(table, await rowsOf(db, table));
            }
            expect(before.size, `tables at ${previous}`).toBeGreaterThan(0);
            const events = await eventHashes(db);

            // The command's own path, for this group alone (the others hold nothing here).
            const outcome = await migrateDeployment({ db, sets: [set] });
            expect(outcome.error, `${history.set} from ${previous}`).toBeUndefined();
            expect(outcome.results.find((r) => r.set === history.set)?.applied).toEqual(
              names.slice(names.indexOf(previous) + 1),
            );

            const after = await tables(db);
            for (const [table, rows] of before) {
              if (!after.has(table)) {
                const moved = MOVED[table];
                expect(
                  moved,
                  `${table} dropped by a migration with no check of where its rows went`,
                ).toBeDefined();
                await moved?.(db, before);
                continue;
              }
              const now = await rowsOf(db, table);
              expect(now.length, `${table} from ${previous}`).toBe(rows.length);
              // Every column a row had keeps its value; new columns may be added beside them.
              for (const row of rows)
                expect(now, `${table} from ${previous}`).toContainEqual(expect.objectContaining(row));
            }
            expect(await eventHashes(db)).toEqual(events);
            for (const org of ['org_migrate_a', 'org_migrate_b'])
              expect((await store.verifyChain({ org })).ok).toBe(true);
            await store.close();
          }
        },
        SLOW,
      );
    }
  });
}
