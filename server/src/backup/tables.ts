import { defaultProjections } from '@proofpane/projections';
import { type Kysely, sql } from 'kysely';

/**
 * Which tables a backup holds. The events, and every table that is not a projection's (those are
 * rebuilt from the events after a restore) nor migration bookkeeping: the inline tables, and with them
 * what lives only in tables — password, token and code hashes, sealed provider keys.
 */
export async function backedUpTables(db: Kysely<unknown>): Promise<{ name: string; columns: string[] }[]> {
  const derived = new Set([
    ...defaultProjections.flatMap((p) => p.tables),
    'projection_checkpoints',
    'projection_failures',
  ]);
  const { rows } = await sql<{ name: string; columns: string[] }>`
    SELECT c.table_name AS name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
    GROUP BY c.table_name ORDER BY c.table_name`.execute(db);
  const kept = rows.filter(
    (t) =>
      t.name !== 'events' &&
      !derived.has(t.name) &&
      !t.name.endsWith('_migrations') &&
      !t.name.endsWith('_migrations_lock') &&
      !t.name.startsWith('proofpane_bus'),
  );
  return referencedFirst(db, kept);
}

/** Orders tables so that each comes after the tables its foreign keys point at (restores insert in this order). */
async function referencedFirst<T extends { name: string }>(db: Kysely<unknown>, tables: T[]): Promise<T[]> {
  const { rows } = await sql<{ child: string; parent: string }>`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
    FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`.execute(
    db,
  );
  const parents = new Map<string, string[]>();
  for (const { child, parent } of rows)
    if (child !== parent) parents.set(child, [...(parents.get(child) ?? []), parent]);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: T[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) place(parent, path);
    placed.add(name);
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const table of tables) place(table.name, new Set());
  return ordered;
}

/**
 * The rows of a table that belong to one org: by its `org` column, or for the two identity tables
 * keyed by user, the org's members. Undefined: the table holds nothing per org, and a one-org backup
 * leaves it out.
 */
export function orgCondition(table: { name: string; columns: string[] }, org: string) {
  if (table.columns.includes('org')) return sql`org = ${org}`;
  if (table.name === 'identity_orgs') return sql`id = ${org}`;
  if (table.name === 'identity_users')
    return sql`id IN (SELECT user_id FROM identity_memberships WHERE org = ${org})`;
  if (table.name === 'identity_credentials')
    return sql`user_id IN (SELECT user_id FROM identity_memberships WHERE org = ${org})`;
  return undefined;
}
