import { describe, expect, it } from 'vitest';
import { apiKeyDecider, invitationDecider, orgDecider } from './deciders.js';
import { type Decider, type Fact, IdentityError } from './index.js';

/** given(facts).when(command) → the facts decided, or the error code refused. */
function spec<C, S>(decider: Decider<C, S>) {
  return (given: Fact[]) => ({
    when: (command: C) => {
      const state = given.reduce(decider.evolve, decider.initialState());
      try {
        return { facts: decider.decide(command, state), refused: undefined };
      } catch (error) {
        if (error instanceof IdentityError) return { facts: [], refused: error.code };
        throw error;
      }
    },
  });
}

const org = spec(orgDecider);
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
  it('creates an org with its first owner', () => {
    expect(org([]).when({ type: 'create-org', name: 'Acme', ownerUserId: 'usr_a' }).facts).toEqual(created);
    expect(org(created).when({ type: 'create-org', name: 'Acme', ownerUserId: 'usr_a' }).refused).toBe(
      'org_exists',
    );
  });

  it('refuses commands on an org that does not exist', () => {
    expect(org([]).when({ type: 'remove-member', userId: 'usr_a', by: owner }).refused).toBe('org_not_found');
  });

  it('never removes or demotes the last owner', () => {
    expect(org(created).when({ type: 'remove-member', userId: 'usr_a', by: owner }).refused).toBe(
      'last_owner',
    );
    expect(
      org(created).when({ type: 'change-role', userId: 'usr_a', role: 'admin', by: owner }).refused,
    ).toBe('last_owner');
  });

  it('lets a second owner demote the first', () => {
    const twoOwners: Fact[] = [
      ...created,
      { type: 'cp.identity.member.joined', data: { userId: 'usr_c', role: 'owner', via: 'admin' } },
    ];
    const { facts } = org(twoOwners).when({
      type: 'change-role',
      userId: 'usr_a',
      role: 'member',
      by: { role: 'owner', userId: 'usr_c' },
    });
    expect(facts).toEqual([
      { type: 'cp.identity.member.role-changed', data: { userId: 'usr_a', from: 'owner', to: 'member' } },
    ]);
  });

  it('keeps the owner role in owners’ hands', () => {
    expect(
      org(withAdmin).when({ type: 'change-role', userId: 'usr_a', role: 'member', by: admin }).refused,
    ).toBe('owner_only');
    expect(org(withAdmin).when({ type: 'remove-member', userId: 'usr_a', by: admin }).refused).toBe(
      'owner_only',
    );
    expect(
      org(withAdmin).when({ type: 'change-role', userId: 'usr_b', role: 'owner', by: admin }).refused,
    ).toBe('role_too_high');
  });

  it('refuses a second membership and unknown members', () => {
    expect(
      org(withAdmin).when({ type: 'add-member', userId: 'usr_b', role: 'member', via: 'admin' }).refused,
    ).toBe('already_member');
    expect(org(created).when({ type: 'remove-member', userId: 'usr_x', by: owner }).refused).toBe(
      'not_member',
    );
  });

  it('lets members leave and decides nothing for an unchanged role', () => {
    const member = { role: 'admin' as const, userId: 'usr_b' };
    expect(org(withAdmin).when({ type: 'remove-member', userId: 'usr_b', by: member }).facts).toEqual([
      { type: 'cp.identity.member.removed', data: { userId: 'usr_b', role: 'admin' } },
    ]);
    expect(
      org(withAdmin).when({ type: 'change-role', userId: 'usr_b', role: 'admin', by: owner }).facts,
    ).toEqual([]);
  });
});

const invitation = spec(invitationDecider);
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

  it('is accepted once, before it expires', () => {
    expect(invitation(invited).when(accept('2026-01-03T23:59:59Z')).facts).toEqual([
      { type: 'cp.identity.invitation.accepted', data: { invitationId: 'inv_1', userId: 'usr_z' } },
    ]);
    expect(invitation(invited).when(accept('2026-01-04T00:00:00Z')).refused).toBe('invitation_expired');
    const used: Fact[] = [
      ...invited,
      { type: 'cp.identity.invitation.accepted', data: { invitationId: 'inv_1', userId: 'usr_z' } },
    ];
    expect(invitation(used).when(accept('2026-01-02T00:00:00Z')).refused).toBe('invitation_used');
  });

  it('cannot be accepted after revocation, nor grant more than the inviter has', () => {
    const revoked: Fact[] = [
      ...invited,
      { type: 'cp.identity.invitation.revoked', data: { invitationId: 'inv_1' } },
    ];
    expect(invitation(revoked).when(accept('2026-01-02T00:00:00Z')).refused).toBe('invitation_revoked');
    const command = {
      type: 'invite' as const,
      invitationId: 'inv_2',
      emailHash: 'b'.repeat(64),
      role: 'owner' as const,
      expiresAt: new Date('2026-01-04T00:00:00Z'),
      by: admin,
    };
    expect(invitation([]).when(command).refused).toBe('role_too_high');
  });
});

describe('an API key', () => {
  const keys = spec(apiKeyDecider);
  const create = {
    type: 'create-api-key' as const,
    keyId: 'key_1',
    name: 'ci',
    prefix: 'pp_abcd1234',
    role: 'admin' as const,
    by: { role: 'member' as const },
  };

  it('is created within the creator’s role and revoked once', () => {
    expect(keys([]).when(create).refused).toBe('role_too_high');
    const made = keys([]).when({ ...create, by: admin }).facts;
    expect(made).toHaveLength(1);
    expect(keys(made).when({ type: 'revoke-api-key', keyId: 'key_1' }).facts).toEqual([
      { type: 'cp.identity.api-key.revoked', data: { keyId: 'key_1' } },
    ]);
    const revoked: Fact[] = [...made, { type: 'cp.identity.api-key.revoked', data: { keyId: 'key_1' } }];
    expect(keys(revoked).when({ type: 'revoke-api-key', keyId: 'key_1' }).refused).toBe('api_key_revoked');
    expect(keys([]).when({ type: 'revoke-api-key', keyId: 'key_1' }).refused).toBe('api_key_not_found');
  });
});
