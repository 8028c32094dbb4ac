import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { EVENT_COLUMNS } from './dump.js';

export class RestoreRefused extends Error {}

type BackupRecord =
  | { kind: 'begin'; org: string | null }
  | { kind: 'event'; row: Record<string, unknown> }
  | { kind: 'row'; table: string; row: unknown }
  | { kind: 'file'; path: string; content: string }
  | { kind: 'end'; events: number; tables: Record<string, number> };

export interface RestoreReport {
  org: string | null;
  events: number;
  tables: Record<string, number>;
  files: string[];
}

const BATCH = 500;

/**
 * Writes the backup's key files (signing keys with their retired history, generated JWT and master
 * keys) into the data folder before anything opens it, so the restored deployment signs and unseals
 * with its own keys. Refuses a folder that already holds a different key.
 */
export async function restoreKeyFiles(options: {
  dataDir: string;
  records: AsyncIterable<unknown> | Iterable<unknown>;
}): Promise<string[]> {
  const files: { target: string; path: string; content: Buffer }[] = [];
  for await (const value of options.records) {
    const record = value as BackupRecord;
    if (record.kind !== 'file') continue;
    const path = normalize(record.path);
    if (!/^keys\/[A-Za-z0-9._-]+$/.test(path))
      throw new RestoreRefused(`a backup file path it will not write: ${record.path}`);
    const content = Buffer.from(record.content, 'base64');
    const target = join(options.dataDir, path);
    if (existsSync(target) && !readFileSync(target).equals(content))
      throw new RestoreRefused(`${target} exists and differs from the backup's; move it away first`);
    files.push({ target, path, content });
  }
  for (const file of files) {
    mkdirSync(dirname(file.target), { recursive: true, mode: 0o700 });
    writeFileSync(file.target, file.content, { mode: 0o600 });
  }
  return files.map((f) => f.path);
}

/** True when the database holds no event and no org: the only kind a restore writes into. */
export async function isEmptyDeployment(db: Kysely<unknown>): Promise<boolean> {
  for (const table of ['events', 'identity_orgs']) {
    const { rows } = await sql<{
      present: boolean;
    }>`SELECT to_regclass(${table}) IS NOT NULL AS present`.execute(db);
    if (!rows[0]?.present) continue;
    const used = await sql<{ one: number }>`SELECT 1 AS one FROM ${sql.table(table)} LIMIT 1`.execute(db);
    if (used.rows.length > 0) return false;
  }
  return true;
}

/**
 * Writes a backup's records into an empty, migrated database in one transaction (so a wrong key, a
 * damaged frame or a cut-off file leaves it empty), then the key files into the data folder. Events
 * get the new database's positions in their old order; the events trigger derives budget rows as it
 * did, and the backed-up rows then replace them, so each table is as it was.
 */
export async function restoreDeployment(options: {
  db: Kysely<unknown>;
  dataDir: string;
  records: AsyncIterable<unknown> | Iterable<unknown>;
  progress: (line: string) => void;
}): Promise<RestoreReport> {
  const { db } = options;
  if (!(await isEmptyDeployment(db)))
    throw new RestoreRefused('the database already holds events or orgs; restore only into an empty one');
  const report: RestoreReport = { org: null, events: 0, tables: {}, files: [] };
  let ended = false;
  await db.transaction().execute(async (trx) => {
    let events: unknown[] = [];
    let table: string | undefined;
    let rows: unknown[] = [];
    const cleared = new Set<string>();
    const flushEvents = async () => {
      if (events.length === 0) return;
      const columns = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)));
      const fromRecord = sql.join(EVENT_COLUMNS.map((c) => sql.ref(`r.${c}`)));
      await sql`INSERT INTO events (${columns})
        SELECT ${fromRecord} FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) WITH ORDINALITY AS x(v, n),
          LATERAL jsonb_populate_record(NULL::events, x.v) AS r
        ORDER BY x.n`.execute(trx);
      report.events += events.length;
      events = [];
      if (report.events % 10_000 < BATCH) options.progress(`events: ${report.events}`);
    };
    const flushRows = async () => {
      if (!table || rows.length === 0) return;
      if (!cleared.has(table)) {
        // Only rows the events trigger just derived can be here: the database was empty.
        await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
        cleared.add(table);
      }
      await sql`INSERT INTO ${sql.table(table)}
        SELECT * FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
        trx,
      );
      report.tables[table] = (report.tables[table] ?? 0) + rows.length;
      rows = [];
    };
    for await (const value of options.records) {
      const record = value as BackupRecord;
      switch (record.kind) {
        case 'begin':
          report.org = record.org;
          break;
        case 'event':
          events.push(record.row);
          if (events.length >= BATCH) await flushEvents();
          break;
        case 'row':
          await flushEvents();
          if (record.table !== table) {
            await flushRows();
            if (table) options.progress(`${table}: ${report.tables[table] ?? 0} rows`);
            table = record.table;
          }
          rows.push(record.row);
          if (rows.length >= BATCH) await flushRows();
          break;
        case 'file':
          // Written by `restoreKeyFiles` before the runtime opened; here only checked to be there.
          if (!existsSync(join(options.dataDir, normalize(record.path))))
            throw new RestoreRefused(`${record.path} was not restored into the data folder`);
          report.files.push(record.path);
          break;
        case 'end':
          await flushEvents();
          await flushRows();
          if (record.events !== report.events)
            throw new RestoreRefused('the backup holds fewer events than it says');
          ended = true;
          break;
        default:
          throw new RestoreRefused('a record this version does not know');
      }
    }
    if (!ended) throw new RestoreRefused('the backup has no end record');
    if (table) options.progress(`${table}: ${report.tables[table] ?? 0} rows`);
    await resetSequences(trx, Object.keys(report.tables));
  });
  return report;
}

/** Serial columns of the restored tables continue after their highest restored value. */
async function resetSequences(trx: Kysely<unknown>, tables: string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await sql<{ column: string; sequence: string }>`
      SELECT a.attname AS column, pg_get_serial_sequence(${table}, a.attname) AS sequence
      FROM pg_attribute a WHERE a.attrelid = ${table}::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND pg_get_serial_sequence(${table}, a.attname) IS NOT NULL`.execute(trx);
    for (const { column, sequence } of rows)
      await sql`SELECT setval(${sequence}, GREATEST((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 1))`.execute(
        trx,
      );
  }
}
