import type { EventStore } from '@proofpane/core';
import { applyIdentityEvents } from './apply.js';
import type { IdentityDb } from './schema.js';

const IDENTITY_TYPES = [
  'cp.identity.org.created',
  'cp.identity.member.joined',
  'cp.identity.member.role-changed',
  'cp.identity.member.removed',
  'cp.identity.invitation.accepted',
  'cp.identity.invitation.revoked',
  'cp.identity.api-key.revoked',
];

/**
 * Drops the rows that are pure projections (orgs, memberships) and replays the identity
 * events over every table. Rows holding secrets or emails (users, credentials, key and
 * invitation hashes) are kept: no event could restore them.
 */
export async function rebuildIdentityTables(options: { db: IdentityDb; store: EventStore }): Promise<number> {
  await options.db.deleteFrom('identity_memberships').execute();
  await options.db.deleteFrom('identity_orgs').execute();
  let after: string | undefined;
  let applied = 0;
  for (;;) {
    const batch = await options.store.readAll({ after, limit: 500, types: IDENTITY_TYPES });
    if (batch.length === 0) return applied;
    await applyIdentityEvents({ db: options.db, events: batch.map((p) => p.event) });
    applied += batch.length;
    after = batch.at(-1)!.cursor;
  }
}
