import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Principal } from '../auth/index.js';

/**
 * The person accountable for a request: the signed-in user, or for an org API key the user who created
 * it, so nobody approves their own gene through a key of their own (four eyes).
 */
export async function personOf(db: Kysely<unknown>, principal: Principal): Promise<string> {
  if (principal.actor.kind !== 'apikey') return principal.actor.id;
  const { rows } = await sql<{ created_by: string }>`
    SELECT created_by FROM identity_api_keys WHERE org = ${principal.org} AND id = ${principal.actor.id}`.execute(
    db,
  );
  return rows[0]?.created_by ?? principal.actor.id;
}
