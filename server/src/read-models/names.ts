import { type Kysely, sql } from 'kysely';

/** Ids Proofpane gives the things an event names; only these are looked up. */
const NAMED_ID = /^(usr|key|dev|org)_[A-Za-z0-9_-]+$/;

const isMissingTable = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42P01';

/**
 * Readable names for ids, read from the tables that hold them now: a member's email, an API key's or
 * device's name, the org's name. Read at query time rather than copied into a projection, because
 * emails never enter events (they can be erased) and renames apply at once (decision 0032).
 *
 * Scoped to the org: a user is named only while a member of it, keys and devices only its own. A
 * table that is absent (the read side run without identity or devices) names nothing.
 */
export async function resolveNames(options: {
  db: Kysely<unknown>;
  org: string;
  ids: Iterable<string>;
}): Promise<Record<string, string>> {
  const { db, org } = options;
  const ids = [...new Set(options.ids)].filter((id) => NAMED_ID.test(id));
  const names: Record<string, string> = {};
  if (ids.length === 0) return names;
  const lookups = [
    sql<{ id: string; name: string }>`
      SELECT u.id, u.email AS name FROM identity_users u
      JOIN identity_memberships m ON m.user_id = u.id AND m.org = ${org}
      WHERE u.id = ANY(${ids}::text[])`,
    sql<{ id: string; name: string }>`
      SELECT id, name FROM identity_api_keys WHERE org = ${org} AND id = ANY(${ids}::text[])`,
    sql<{ id: string; name: string }>`
      SELECT id, name FROM devices WHERE org = ${org} AND id = ANY(${ids}::text[])`,
    sql<{ id: string; name: string }>`
      SELECT id, name FROM identity_orgs WHERE id = ${org} AND id = ANY(${ids}::text[])`,
  ];
  for (const lookup of lookups) {
    try {
      for (const row of (await lookup.execute(db)).rows) names[row.id] = row.name;
    } catch (error) {
      if (!isMissingTable(error)) throw error;
    }
  }
  return names;
}

/** The ids a page of events names: each actor, and a subject's last segment (`api-key/key_…`). */
export function namedIds(events: readonly { actor: { id: string }; subject: string }[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.actor.id);
    const last = event.subject.slice(event.subject.lastIndexOf('/') + 1);
    if (last) ids.add(last);
  }
  return ids;
}
