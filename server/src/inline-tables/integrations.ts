import { type Kysely, sql } from 'kysely';
import { applyIntegrationEvents, INTEGRATION_TABLE_TYPES } from '../integrations/tables.js';
import { orgEventPages } from './event-pages.js';
import { deleteAll, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

/**
 * `integration_connections` and `integration_activity`, replayed through the writer the appends use. The
 * sealed credentials and the polling cursors are not read models and are left as they are.
 */
export const integrationTables: InlineTableGroup = {
  name: 'integrations',
  tables: ['integration_connections', 'integration_activity'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    await deleteAll(trx, 'integration_activity');
    await deleteAll(trx, 'integration_connections');
    let events = 0;
    for await (const page of orgEventPages(trx, INTEGRATION_TABLE_TYPES)) {
      await applyIntegrationEvents(trx, page);
      events += page.length;
    }
    const count = async (table: string) =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(trx)).rows[0]?.n ??
          0,
      );
    return {
      events,
      rows: {
        integration_connections: await count('integration_connections'),
        integration_activity: await count('integration_activity'),
      },
    };
  },
};
