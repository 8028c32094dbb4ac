import type { Generated, Kysely } from 'kysely';

/**
 * The identity tables. Orgs, memberships, invitations and API keys are projections of
 * identity events, rebuildable from them; emails and password/key/token hashes are not
 * in any event, so for those columns these tables are the system of record.
 */
export interface IdentityDatabase {
  identity_users: { id: string; email: string; email_hash: string; created_at: Generated<Date> };
  identity_credentials: { user_id: string; password_hash: string; updated_at: Generated<Date> };
  identity_orgs: { id: string; name: string; created_by: string; created_at: Date };
  identity_memberships: { org: string; user_id: string; role: string; joined_at: Date };
  identity_invitations: {
    id: string;
    org: string;
    email: string;
    role: string;
    token_hash: string;
    expires_at: Date;
    created_at: Date;
    invited_by: string;
    status: string;
    accepted_by: string | null;
  };
  identity_api_keys: {
    id: string;
    org: string;
    name: string;
    role: string;
    agent: string | null;
    prefix: string;
    last4: string;
    key_hash: string;
    created_at: Date;
    created_by: string;
    last_used_at: Date | null;
    revoked_at: Date | null;
  };
}

export type IdentityDb = Kysely<IdentityDatabase>;

export const identityDb = (db: Kysely<unknown>): IdentityDb => db as unknown as IdentityDb;
