import { type Kysely, sql } from 'kysely';
import { applyHookEvents, HOOK_TABLE_TYPES } from '../workflow-runs/hook-table.js';
import { orgEventPages } from './event-pages.js';
import { deleteAll, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

/** `workflow_hooks`, replayed from the hook events through the writer the appends use; nothing is kept. */
export const workflowHookTables: InlineTableGroup = {
  name: 'workflow-hooks',
  tables: ['workflow_hooks'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    await deleteAll(trx, 'workflow_hooks');
    let events = 0;
    for await (const page of orgEventPages(trx, HOOK_TABLE_TYPES)) {
      await applyHookEvents(trx, page);
      events += page.length;
    }
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM workflow_hooks`.execute(trx);
    return { events, rows: { workflow_hooks: Number(rows[0]?.n ?? 0) } };
  },
};
