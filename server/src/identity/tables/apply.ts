import { type AnyEvent, type EventEnvelope, isEventType } from '@proofpane/core';
import type { IdentityDb } from './schema.js';

/**
 * Brings the identity tables up to date with events just appended (and replays them on a
 * rebuild). Idempotent: applying an event twice leaves the same rows.
 */
export async function applyIdentityEvents(options: { db: IdentityDb; events: readonly EventEnvelope[] }) {
  for (const raw of options.events) {
    if (!isEventType(raw.type)) continue;
    await applyOne(options.db, raw as AnyEvent);
  }
}

async function applyOne(db: IdentityDb, event: AnyEvent): Promise<void> {
  const time = new Date(event.time);
  switch (event.type) {
    case 'cp.identity.org.created':
      await db
        .insertInto('identity_orgs')
        .values({ id: event.org, name: event.data.name, created_by: event.data.createdBy, created_at: time })
        .onConflict((c) => c.column('id').doUpdateSet({ name: event.data.name }))
        .execute();
      return;
    case 'cp.identity.member.joined':
      await db
        .insertInto('identity_memberships')
        .values({ org: event.org, user_id: event.data.userId, role: event.data.role, joined_at: time })
        .onConflict((c) => c.columns(['org', 'user_id']).doUpdateSet({ role: event.data.role }))
        .execute();
      return;
    case 'cp.identity.member.role-changed':
      await db
        .updateTable('identity_memberships')
        .set({ role: event.data.to })
        .where('org', '=', event.org)
        .where('user_id', '=', event.data.userId)
        .execute();
      return;
    case 'cp.identity.member.removed':
      await db
        .deleteFrom('identity_memberships')
        .where('org', '=', event.org)
        .where('user_id', '=', event.data.userId)
        .execute();
      return;
    case 'cp.identity.invitation.accepted':
      await db
        .updateTable('identity_invitations')
        .set({ status: 'accepted', accepted_by: event.data.userId })
        .where('org', '=', event.org)
        .where('id', '=', event.data.invitationId)
        .execute();
      return;
    case 'cp.identity.invitation.revoked':
      await db
        .updateTable('identity_invitations')
        .set({ status: 'revoked' })
        .where('org', '=', event.org)
        .where('id', '=', event.data.invitationId)
        .execute();
      return;
    case 'cp.identity.api-key.revoked':
      await db
        .updateTable('identity_api_keys')
        .set({ revoked_at: time })
        .where('org', '=', event.org)
        .where('id', '=', event.data.keyId)
        .execute();
      return;
    default:
      return;
  }
}
