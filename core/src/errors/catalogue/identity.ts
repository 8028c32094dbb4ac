import { errorSection } from '../entry.js';

/** Invariants of organisations, memberships, invitations and API keys (`commands/src/identity`). */
export const identityErrors = errorSection('api.md#identity', {
  org_exists: { status: 409, title: 'The organisation already exists' },
  org_not_found: { status: 404, title: 'No such organisation' },
  already_member: { status: 409, title: 'The user is already a member of this organisation' },
  not_member: { status: 404, title: 'The user is not a member of this organisation' },
  last_owner: { status: 409, title: 'The last owner cannot be removed or demoted' },
  owner_only: { status: 403, title: 'Only an owner may grant, change or remove the owner role' },
  invitation_exists: { status: 409, title: 'The invitation already exists' },
  invitation_not_found: { status: 404, title: 'No such invitation' },
  invitation_expired: { status: 410, title: 'The invitation has expired' },
  invitation_used: { status: 410, title: 'The invitation has already been used' },
  invitation_revoked: { status: 410, title: 'The invitation was revoked' },
  api_key_exists: { status: 409, title: 'The API key already exists' },
  api_key_not_found: { status: 404, title: 'No such API key' },
  api_key_revoked: { status: 409, title: 'The API key is already revoked' },
  role_too_high: { status: 403, title: 'You cannot grant a role above your own' },
});
