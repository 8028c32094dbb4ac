import { z } from 'zod';
import { hex64, id } from './schemas.js';

const role = z.enum(['owner', 'admin', 'member']);
const keyRole = z.enum(['admin', 'member']);

/**
 * Who belongs to which organisation, and with what rights. The org's roster is one
 * subject `org/<org id>`; invitations are `invitation/<id>`, API keys `api-key/<id>`.
 * Emails appear only as `emailHash` (SHA-256 of the normalised address): the address
 * itself lives in the identity tables, where it can be erased. No password hash,
 * token or key material is ever part of an event; a key is named by its public prefix.
 */
export const identityEvents = {
  'cp.identity.user.registered': z.strictObject({ userId: id, emailHash: hex64 }),
  'cp.identity.org.created': z.strictObject({
    name: z.string().min(1).max(200),
    createdBy: id,
  }),
  'cp.identity.member.joined': z.strictObject({
    userId: id,
    role,
    via: z.enum(['registration', 'invitation', 'admin']),
    invitationId: id.optional(),
  }),
  'cp.identity.member.role-changed': z.strictObject({ userId: id, from: role, to: role }),
  'cp.identity.member.removed': z.strictObject({ userId: id, role }),
  'cp.identity.member.invited': z.strictObject({
    invitationId: id,
    emailHash: hex64,
    role,
    expiresAt: z.iso.datetime(),
  }),
  'cp.identity.invitation.accepted': z.strictObject({ invitationId: id, userId: id }),
  'cp.identity.invitation.revoked': z.strictObject({ invitationId: id }),
  'cp.identity.api-key.created': z.strictObject({
    keyId: id,
    name: z.string().min(1).max(200),
    prefix: z.string().regex(/^pp_[A-Za-z0-9_-]{4,16}$/),
    role: keyRole,
    agent: z.string().min(1).max(100).optional(),
  }),
  'cp.identity.api-key.revoked': z.strictObject({ keyId: id }),
  'cp.identity.login.failed': z.strictObject({
    emailHash: hex64,
    reason: z.enum(['unknown_user', 'wrong_password', 'no_membership']),
    userId: id.optional(),
  }),
  /**
   * A credential this org issued was presented after it stopped working: a revoked API key or
   * device token, an expired session token, or one whose user left the org. Named by its id, never
   * by its material; recorded at most once a minute per credential and process.
   */
  'cp.identity.credential.refused': z.strictObject({
    credential: z.enum(['api_key', 'session_token', 'device_token']),
    reason: z.enum(['revoked', 'expired', 'not_member']),
    keyId: id.optional(),
    userId: id.optional(),
    deviceId: id.optional(),
  }),
} as const;
