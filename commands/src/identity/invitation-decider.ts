import { refuse } from './errors.js';
import type { Fact } from './facts.js';
import type { Requester } from './org-decider.js';
import { hasRole, type Role } from './roles.js';

/** One magic-link invitation, subject `invitation/<id>`: single use, expiring, revocable. */
export interface InvitationState {
  status: 'none' | 'pending' | 'accepted' | 'revoked';
  role: Role;
  expiresAt: string;
}

export type InvitationCommand =
  | {
      type: 'invite';
      invitationId: string;
      emailHash: string;
      role: Role;
      expiresAt: Date;
      by: Requester;
    }
  | { type: 'accept'; invitationId: string; userId: string; now: Date }
  | { type: 'revoke'; invitationId: string };

type InvitationFact = Extract<
  Fact,
  {
    type: 'cp.identity.member.invited' | 'cp.identity.invitation.accepted' | 'cp.identity.invitation.revoked';
  }
>;

export const initialInvitationState = (): InvitationState => ({
  status: 'none',
  role: 'member',
  expiresAt: '',
});

function requirePending(state: InvitationState, now?: Date) {
  if (state.status === 'none') refuse('invitation_not_found');
  if (state.status === 'accepted') refuse('invitation_used');
  if (state.status === 'revoked') refuse('invitation_revoked');
  if (now && now.getTime() >= Date.parse(state.expiresAt)) refuse('invitation_expired');
}

export function decideInvitation(command: InvitationCommand, state: InvitationState): InvitationFact[] {
  switch (command.type) {
    case 'invite':
      if (state.status !== 'none') return refuse('invitation_exists');
      if (!hasRole({ role: command.by.role, required: command.role })) refuse('role_too_high');
      return [
        {
          type: 'cp.identity.member.invited',
          data: {
            invitationId: command.invitationId,
            emailHash: command.emailHash,
            role: command.role,
            expiresAt: command.expiresAt.toISOString(),
          },
        },
      ];
    case 'accept':
      requirePending(state, command.now);
      return [
        {
          type: 'cp.identity.invitation.accepted',
          data: { invitationId: command.invitationId, userId: command.userId },
        },
      ];
    case 'revoke':
      requirePending(state);
      return [{ type: 'cp.identity.invitation.revoked', data: { invitationId: command.invitationId } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown invitation command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveInvitation(state: InvitationState, fact: Fact): InvitationState {
  const event = fact as InvitationFact;
  switch (event.type) {
    case 'cp.identity.member.invited':
      return { status: 'pending', role: event.data.role, expiresAt: event.data.expiresAt };
    case 'cp.identity.invitation.accepted':
      return { ...state, status: 'accepted' };
    case 'cp.identity.invitation.revoked':
      return { ...state, status: 'revoked' };
    default:
      return state;
  }
}
