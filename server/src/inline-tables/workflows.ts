import { type Kysely, sql } from 'kysely';
import { applyWorkflowEvents, WORKFLOW_DEFINITION_TYPES } from '../workflows/rows.js';
import { orgEventPages } from './event-pages.js';
import { deleteAll, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

/**
 * `workflows` and `workflow_versions`, replayed from the `cp.workflow.*` definition events through the
 * same writer the appends use. Every column is in the events (instants are the events' times), so
 * nothing is kept from the live rows.
 */
export const workflowTables: InlineTableGroup = {
  name: 'workflows',
  tables: ['workflows', 'workflow_versions'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    await deleteAll(trx, 'workflow_versions');
    await deleteAll(trx, 'workflows');
    let events = 0;
    for await (const page of orgEventPages(trx, WORKFLOW_DEFINITION_TYPES)) {
      await applyWorkflowEvents(trx, page);
      events += page.length;
    }
    const count = async (table: string) =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(trx)).rows[0]?.n ??
          0,
      );
    return {
      events,
      rows: { workflows: await count('workflows'), workflow_versions: await count('workflow_versions') },
    };
  },
};
