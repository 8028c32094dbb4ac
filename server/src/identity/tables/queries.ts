import type { Role } from '@proofpane/commands';
import type { IdentityDb } from './schema.js';

/** Every lookup here takes the org it reads from, except those keyed by a secret's hash or a user. */
export async function activeApiKeyByHash(options: { db: IdentityDb; hash: string }) {
  return options.db
    .selectFrom('identity_api_keys')
    .select(['id', 'org', 'role', 'agent', 'revoked_at'])
    .where('key_hash', '=', options.hash)
    .executeTakeFirst();
}

export async function touchApiKey(options: { db: IdentityDb; org: string; id: string; now: Date }) {
  const staleBefore = new Date(options.now.getTime() - 60_000);
  await options.db
    .updateTable('identity_api_keys')
    .set({ last_used_at: options.now })
    .where('org', '=', options.org)
    .where('id', '=', options.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

export async function membershipRole(options: {
  db: IdentityDb;
  org: string;
  userId: string;
}): Promise<Role | undefined> {
  const row = await options.db
    .selectFrom('identity_memberships')
    .select('role')
    .where('org', '=', options.org)
    .where('user_id', '=', options.userId)
    .executeTakeFirst();
  return row?.role as Role | undefined;
}

export async function orgsOfUser(options: { db: IdentityDb; userId: string }) {
  const rows = await options.db
    .selectFrom('identity_memberships as m')
    .innerJoin('identity_orgs as o', 'o.id', 'm.org')
    .select(['o.id', 'o.name', 'm.role', 'm.joined_at'])
    .where('m.user_id', '=', options.userId)
    .orderBy('m.joined_at')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role as Role }));
}

export async function userByEmail(options: { db: IdentityDb; email: string }) {
  return options.db
    .selectFrom('identity_users as u')
    .leftJoin('identity_credentials as c', 'c.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.email_hash', 'c.password_hash'])
    .where('u.email', '=', options.email)
    .executeTakeFirst();
}

export async function userById(options: { db: IdentityDb; id: string }) {
  return options.db
    .selectFrom('identity_users')
    .select(['id', 'email'])
    .where('id', '=', options.id)
    .executeTakeFirst();
}

export async function orgById(options: { db: IdentityDb; id: string }) {
  return options.db
    .selectFrom('identity_orgs')
    .select(['id', 'name'])
    .where('id', '=', options.id)
    .executeTakeFirst();
}
