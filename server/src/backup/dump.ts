import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { BackupWriter } from './format.js';
import { backedUpTables, orgCondition } from './tables.js';

const PAGE = 1_000;

/** The columns of an event row a restore writes; its position and transaction id are the new database's. */
export const EVENT_COLUMNS = [
  'org',
  'seq',
  'id',
  'type',
  'subject',
  'subject_version',
  'time',
  'body',
  'prev',
  'hash',
];

export interface DumpReport {
  events: number;
  tables: Record<string, number>;
  files: string[];
  /** Tables a one-org backup left out, holding nothing per org. */
  skipped: string[];
}

/**
 * Writes the deployment (or one org) to `writer` from one repeatable-read snapshot: the events in
 * global order, each kept table's rows as JSON (types round-trip through `jsonb_populate_recordset`),
 * and the key files of the data folder (signing keys with their retired history, the JWT and master
 * keys when they were generated there).
 */
export async function dumpDeployment(options: {
  db: Kysely<unknown>;
  dataDir: string;
  org?: string | undefined;
  writer: BackupWriter;
  progress: (line: string) => void;
}): Promise<DumpReport> {
  const { writer, org } = options;
  const report: DumpReport = { events: 0, tables: {}, files: [], skipped: [] };
  await options.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await writer.record({ kind: 'begin', org: org ?? null });
      let after = '0';
      for (;;) {
        const { rows } = await sql<{ position: string; row: Record<string, unknown> }>`
          SELECT position::text AS position, to_jsonb(e) - 'position' - 'tx_id' AS row FROM events e
          WHERE position > ${after}::bigint ${org === undefined ? sql`` : sql`AND org = ${org}`}
          ORDER BY position LIMIT ${PAGE}`.execute(trx);
        for (const { row } of rows) await writer.record({ kind: 'event', row });
        report.events += rows.length;
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!.position;
        options.progress(`events: ${report.events}`);
      }
      options.progress(`events: ${report.events}`);
      for (const table of await backedUpTables(trx)) {
        const condition = org === undefined ? sql`TRUE` : orgCondition(table, org);
        if (!condition) {
          report.skipped.push(table.name);
          continue;
        }
        let count = 0;
        for (let offset = 0; ; offset += PAGE) {
          // ctid order is stable inside the snapshot, so offsets page through each row once.
          const { rows } = await sql<{ row: unknown }>`
            SELECT to_jsonb(t) AS row FROM ${sql.table(table.name)} t WHERE ${condition}
            ORDER BY ctid LIMIT ${PAGE} OFFSET ${offset}`.execute(trx);
          for (const { row } of rows) await writer.record({ kind: 'row', table: table.name, row });
          count += rows.length;
          if (rows.length < PAGE) break;
        }
        report.tables[table.name] = count;
        if (count > 0) options.progress(`${table.name}: ${count} rows`);
      }
    });
  const keys = join(options.dataDir, 'keys');
  let names: string[] = [];
  try {
    names = readdirSync(keys);
  } catch {
    // No key folder: every key came from the environment.
  }
  for (const name of names.sort()) {
    const content = readFileSync(join(keys, name)).toString('base64');
    await writer.record({ kind: 'file', path: `keys/${name}`, content });
    report.files.push(`keys/${name}`);
  }
  if (report.files.length > 0) options.progress(`key files: ${report.files.join(', ')}`);
  await writer.record({ kind: 'end', events: report.events, tables: report.tables });
  return report;
}
