import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { apiKeyDecider, invitationDecider, orgDecider } from './deciders.js';
import { type Fact, IdentityError } from './index.js';

const refusedWith = (code: string) => (error: unknown) =>
  error instanceof IdentityError && error.code === code;

const org = deciderSpec(orgDecider);
const created: Fact[] = [
  { type: 'cp.identity.org.created', data: { name: 'Acme', createdBy: 'usr_a' } },
  { type: 'cp.identity.member.joined', data: { userId: 'usr_a', role: 'owner', via: 'registration' } },
];
const withAdmin: Fact[] = [
  ...created,
  { type: 'cp.identity.member.joined', data: { userId: 'usr_b', role: 'admin', via: 'admin' } },
];
const owner = { role: 'owner' as const, userId: 'usr_a' };
const admin = { role: 'admin' as const, userId: 'usr_b' };

describe('the org roster', () => {
  it('creates an org with its first owner, once', () => {
    org.given([]).when({ type: 'create-org', name: 'Acme', ownerUserId: 'usr_a' }).then(created);
    org
      .given(created)
      .when({ type: 'create-org', name: 'Acme', ownerUserId: 'usr_a' })
      .thenThrows(refusedWith('org_exists'));
  });

  it('refuses commands on an org that does not exist', () => {
    org
      .given([])
      .when({ type: 'remove-member', userId: 'usr_a', by: owner })
      .thenThrows(refusedWith('org_not_found'));
  });

  it('never removes or demotes the last owner', () => {
    org
      .given(created)
      .when({ type: 'remove-member', userId: 'usr_a', by: owner })
      .thenThrows(refusedWith('last_owner'));
    org
      .given(created)
      .when({ type: 'change-role', userId: 'usr_a', role: 'admin', by: owner })
      .thenThrows(refusedWith('last_owner'));
  });

  it('lets a second owner demote the first', () => {
    const twoOwners: Fact[] = [
      ...created,
      { type: 'cp.identity.member.joined', data: { userId: 'usr_c', role: 'owner', via: 'admin' } },
    ];
    org
      .given(twoOwners)
      .when({ type: 'change-role', userId: 'usr_a', role: 'member', by: { role: 'owner', userId: 'usr_c' } })
      .then([
        { type: 'cp.identity.member.role-changed', data: { userId: 'usr_a', from: 'owner', to: 'member' } },
      ]);
  });

  it('keeps the owner role in owners’ hands', () => {
    org
      .given(withAdmin)
      .when({ type: 'change-role', userId: 'usr_a', role: 'member', by: admin })
      .thenThrows(refusedWith('owner_only'));
    org
      .given(withAdmin)
      .when({ type: 'remove-member', userId: 'usr_a', by: admin })
      .thenThrows(refusedWith('owner_only'));
    org
      .given(withAdmin)
      .when({ type: 'change-role', userId: 'usr_b', role: 'owner', by: admin })
      .thenThrows(refusedWith('role_too_high'));
  });

  it('refuses a second membership and unknown members', () => {
    org
      .given(withAdmin)
      .when({ type: 'add-member', userId: 'usr_b', role: 'member', via: 'admin' })
      .thenThrows(refusedWith('already_member'));
    org
      .given(created)
      .when({ type: 'remove-member', userId: 'usr_x', by: owner })
      .thenThrows(refusedWith('not_member'));
  });

  it('lets members leave and decides nothing for an unchanged role', () => {
    org
      .given(withAdmin)
      .when({ type: 'remove-member', userId: 'usr_b', by: admin })
      .then([{ type: 'cp.identity.member.removed', data: { userId: 'usr_b', role: 'admin' } }]);
    org.given(withAdmin).when({ type: 'change-role', userId: 'usr_b', role: 'admin', by: owner }).then([]);
  });
});

const invitation = deciderSpec(invitationDecider);
const invited: Fact[] = [
  {
    type: 'cp.identity.member.invited',
    data: {
      invitationId: 'inv_1',
      emailHash: 'a'.repeat(64),
      role: 'member',
      expiresAt: '2026-01-04T00:00:00.000Z',
    },
  },
];

describe('an invitation', () => {
  const accept = (now: string) => ({
    type: 'accept' as const,
    invitationId: 'inv_1',
    userId: 'usr_z',
    now: new Date(now),
  });
  const accepted: Fact = {
    type: 'cp.identity.invitation.accepted',
    data: { invitationId: 'inv_1', userId: 'usr_z' },
  };

  it('is accepted once, before it expires', () => {
    invitation.given(invited).when(accept('2026-01-03T23:59:59Z')).then([accepted]);
    invitation
      .given(invited)
      .when(accept('2026-01-04T00:00:00Z'))
      .thenThrows(refusedWith('invitation_expired'));
    invitation
      .given([...invited, accepted])
      .when(accept('2026-01-02T00:00:00Z'))
      .thenThrows(refusedWith('invitation_used'));
  });

  it('cannot be accepted after revocation, nor grant more than the inviter has', () => {
    const revoked: Fact[] = [
      ...invited,
      { type: 'cp.identity.invitation.revoked', data: { invitationId: 'inv_1' } },
    ];
    invitation
      .given(revoked)
      .when(accept('2026-01-02T00:00:00Z'))
      .thenThrows(refusedWith('invitation_revoked'));
    invitation
      .given([])
      .when({
        type: 'invite',
        invitationId: 'inv_2',
        emailHash: 'b'.repeat(64),
        role: 'owner',
        expiresAt: new Date('2026-01-04T00:00:00Z'),
        by: admin,
      })
      .thenThrows(refusedWith('role_too_high'));
  });
});

describe('an API key', () => {
  const keys = deciderSpec(apiKeyDecider);
  const create = {
    type: 'create-api-key' as const,
    keyId: 'key_1',
    name: 'ci',
    prefix: 'pp_abcd1234',
    role: 'admin' as const,
    by: { role: 'member' as const },
  };
  const revoke = { type: 'revoke-api-key' as const, keyId: 'key_1' };
  const revokedFact: Fact = { type: 'cp.identity.api-key.revoked', data: { keyId: 'key_1' } };

  it('is created within the creator’s role and revoked once', () => {
    keys.given([]).when(create).thenThrows(refusedWith('role_too_high'));
    const made = apiKeyDecider.decide({ ...create, by: admin }, apiKeyDecider.initialState());
    expect(made).toEqual([
      expect.objectContaining({
        type: 'cp.identity.api-key.created',
        data: expect.objectContaining({ keyId: 'key_1' }),
      }),
    ]);
    keys.given(made).when(revoke).then([revokedFact]);
    keys
      .given([...made, revokedFact])
      .when(revoke)
      .thenThrows(refusedWith('api_key_revoked'));
    keys.given([]).when(revoke).thenThrows(refusedWith('api_key_not_found'));
  });
});
