import { CoreError } from '@proofpane/core';

/**
 * Invariants the identity deciders refuse to break. Each code is stable and documented
 * in docs/api.md; the server renders them as problem+json with the status given here.
 */
export const identityErrors = {
  org_exists: { status: 409, message: 'the organisation already exists' },
  org_not_found: { status: 404, message: 'no such organisation' },
  already_member: { status: 409, message: 'the user is already a member of this organisation' },
  not_member: { status: 404, message: 'the user is not a member of this organisation' },
  last_owner: { status: 409, message: 'the last owner cannot be removed or demoted' },
  owner_only: { status: 403, message: 'only an owner may grant, change or remove the owner role' },
  invitation_exists: { status: 409, message: 'the invitation already exists' },
  invitation_not_found: { status: 404, message: 'no such invitation' },
  invitation_expired: { status: 410, message: 'the invitation has expired' },
  invitation_used: { status: 410, message: 'the invitation has already been used' },
  invitation_revoked: { status: 410, message: 'the invitation was revoked' },
  api_key_exists: { status: 409, message: 'the API key already exists' },
  api_key_not_found: { status: 404, message: 'no such API key' },
  api_key_revoked: { status: 409, message: 'the API key is already revoked' },
  role_too_high: { status: 403, message: 'you cannot grant a role above your own' },
} as const;

export type IdentityErrorCode = keyof typeof identityErrors;

/** Thrown by `decide` when a command would break an identity invariant. */
export class IdentityError extends CoreError {
  constructor(
    readonly identityCode: IdentityErrorCode,
    detail?: string,
  ) {
    const entry = identityErrors[identityCode];
    super(identityCode, detail ?? entry.message, entry.status);
  }
}

export const refuse = (code: IdentityErrorCode, detail?: string): never => {
  throw new IdentityError(code, detail);
};
