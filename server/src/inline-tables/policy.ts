import type { Kysely } from 'kysely';
import { foldEvents } from './event-pages.js';
import { deleteAll, insertRows, jsonText, liveRows, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

interface PolicyRow {
  org: string;
  version: number;
  document: string;
}

/** `gateway_policies`: each org's latest `cp.policy.updated` (version and document), every column derived. */
export const policyTables: InlineTableGroup = {
  name: 'policy',
  tables: ['gateway_policies'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    const live = await liveRows<PolicyRow>(trx, 'gateway_policies', (r) => r.org);
    const latest = new Map<string, { version: number; document: unknown }>();
    const events = await foldEvents(trx, ['cp.policy.updated'], (event) => {
      const data = event.data as { version: number; document: unknown };
      // The table keeps the highest version, as the live upsert does.
      if ((latest.get(event.org)?.version ?? 0) < data.version) latest.set(event.org, data);
    });
    await deleteAll(trx, 'gateway_policies');
    const rows = [...latest].map(([org, p]) => {
      const before = live.get(org);
      return {
        org,
        version: p.version,
        document: jsonText(before?.version === p.version ? before.document : undefined, p.document),
      };
    });
    await insertRows(trx, 'gateway_policies', rows);
    return { events, rows: { gateway_policies: rows.length } };
  },
};
