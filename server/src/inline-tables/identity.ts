import type { EventStore, PositionedEvent, ReadAllOptions } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { rebuildIdentityTables } from '../identity/tables/rebuild.js';
import type { IdentityDb } from '../identity/tables/schema.js';
import { type OrgPosition, readOrgEventPage } from './event-pages.js';
import { lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

const TABLES = [
  'identity_orgs',
  'identity_memberships',
  'identity_api_keys',
  'identity_invitations',
] as const;

/**
 * The reads `rebuildIdentityTables` makes, served from the rebuild's transaction (a store read would
 * wait on PGlite's one connection for it). The cursor, opaque to the caller, is the last org and seq.
 */
function storeInTransaction(trx: Kysely<unknown>): Pick<EventStore, 'readAll'> {
  return {
    async readAll(options: ReadAllOptions = {}): Promise<PositionedEvent[]> {
      const after = options.after ? (JSON.parse(options.after) as OrgPosition) : undefined;
      const page = await readOrgEventPage(trx, {
        types: options.types ?? [],
        after,
        ...(options.limit ? { limit: options.limit } : {}),
      });
      return page.map((event) => ({ cursor: JSON.stringify({ org: event.org, seq: event.seq }), event }));
    },
  };
}

/**
 * The identity tables, by the existing rebuild: orgs and memberships from the events; users,
 * credentials and the hashes of keys and invitations kept (no event could restore them).
 */
export const identityTables: InlineTableGroup = {
  name: 'identity',
  tables: TABLES,
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, TABLES);
    // Only `readAll` is called; the rest of the store would read outside the transaction.
    const store = storeInTransaction(trx) as EventStore;
    const events = await rebuildIdentityTables({ db: trx as unknown as IdentityDb, store });
    const rows: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows: counted } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(trx);
      rows[table] = Number(counted[0]!.n);
    }
    return { events, rows };
  },
};
