import {
  type ApiKeyCommand,
  type ApiKeyState,
  decideApiKey,
  evolveApiKey,
  initialApiKeyState,
} from './api-key-decider.js';
import type { Decider } from './decider.js';
import { isIdentityFact } from './facts.js';
import {
  decideInvitation,
  evolveInvitation,
  type InvitationCommand,
  type InvitationState,
  initialInvitationState,
} from './invitation-decider.js';
import { decideOrg, evolveOrg, initialOrgState, type OrgCommand, type OrgState } from './org-decider.js';

export const orgDecider: Decider<OrgCommand, OrgState> = {
  decide: decideOrg,
  evolve: evolveOrg,
  initialState: initialOrgState,
  understands: isIdentityFact,
};

export const invitationDecider: Decider<InvitationCommand, InvitationState> = {
  decide: decideInvitation,
  evolve: evolveInvitation,
  initialState: initialInvitationState,
  understands: isIdentityFact,
};

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyState> = {
  decide: decideApiKey,
  evolve: evolveApiKey,
  initialState: initialApiKeyState,
  understands: isIdentityFact,
};
