import { refuse } from './errors.js';
import type { Fact } from './facts.js';
import { hasRole, type Role } from './roles.js';

/** Who asks: their role in the org, and their user id when a person (not a key) asks. */
export interface Requester {
  role: Role;
  userId?: string | undefined;
}

/** One org's roster, subject `org/<id>`: the org itself and every membership, so "last owner" is one check. */
export interface OrgState {
  exists: boolean;
  name: string;
  members: ReadonlyMap<string, Role>;
}

export type OrgCommand =
  | { type: 'create-org'; name: string; ownerUserId: string }
  | {
      type: 'add-member';
      userId: string;
      role: Role;
      via: 'invitation' | 'admin';
      invitationId?: string | undefined;
    }
  | { type: 'change-role'; userId: string; role: Role; by: Requester }
  | { type: 'remove-member'; userId: string; by: Requester };

type OrgFact = Extract<
  Fact,
  {
    type:
      | 'cp.identity.org.created'
      | 'cp.identity.member.joined'
      | 'cp.identity.member.role-changed'
      | 'cp.identity.member.removed';
  }
>;

export const initialOrgState = (): OrgState => ({ exists: false, name: '', members: new Map() });

const owners = (state: OrgState) => [...state.members.values()].filter((r) => r === 'owner').length;

function memberRole(state: OrgState, userId: string): Role {
  const role = state.members.get(userId);
  return role ?? refuse('not_member');
}

function requireOwnerFor(options: { by: Requester; from: Role; to?: Role }) {
  const touchesOwner = options.from === 'owner' || options.to === 'owner';
  if (touchesOwner && options.by.role !== 'owner') refuse('owner_only');
}

export function decideOrg(command: OrgCommand, state: OrgState): OrgFact[] {
  if (command.type !== 'create-org' && !state.exists) return refuse('org_not_found');
  switch (command.type) {
    case 'create-org':
      if (state.exists) return refuse('org_exists');
      return [
        { type: 'cp.identity.org.created', data: { name: command.name, createdBy: command.ownerUserId } },
        {
          type: 'cp.identity.member.joined',
          data: { userId: command.ownerUserId, role: 'owner', via: 'registration' },
        },
      ];
    case 'add-member':
      if (state.members.has(command.userId)) return refuse('already_member');
      return [
        {
          type: 'cp.identity.member.joined',
          data: {
            userId: command.userId,
            role: command.role,
            via: command.via,
            ...(command.invitationId ? { invitationId: command.invitationId } : {}),
          },
        },
      ];
    case 'change-role': {
      const from = memberRole(state, command.userId);
      if (!hasRole({ role: command.by.role, required: command.role })) refuse('role_too_high');
      requireOwnerFor({ by: command.by, from, to: command.role });
      if (from === command.role) return [];
      if (from === 'owner' && owners(state) === 1) refuse('last_owner');
      return [
        { type: 'cp.identity.member.role-changed', data: { userId: command.userId, from, to: command.role } },
      ];
    }
    case 'remove-member': {
      const role = memberRole(state, command.userId);
      if (command.by.userId !== command.userId) requireOwnerFor({ by: command.by, from: role });
      if (role === 'owner' && owners(state) === 1) refuse('last_owner');
      return [{ type: 'cp.identity.member.removed', data: { userId: command.userId, role } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown org command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveOrg(state: OrgState, fact: Fact): OrgState {
  const event = fact as OrgFact;
  switch (event.type) {
    case 'cp.identity.org.created':
      return { ...state, exists: true, name: event.data.name };
    case 'cp.identity.member.joined':
      return { ...state, members: new Map(state.members).set(event.data.userId, event.data.role) };
    case 'cp.identity.member.role-changed':
      return { ...state, members: new Map(state.members).set(event.data.userId, event.data.to) };
    case 'cp.identity.member.removed': {
      const members = new Map(state.members);
      members.delete(event.data.userId);
      return { ...state, members };
    }
    default:
      return state;
  }
}
