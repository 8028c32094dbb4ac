import {
  type Actor,
  type EventEnvelope,
  type EventStore,
  type InlineWrite,
  PLATFORM_ORG,
} from '@proofpane/core';
import type { ApiKeyCommand } from './api-key-decider.js';
import { foldSubject, handleCommand, toNewEvents } from './decider.js';
import { apiKeyDecider, invitationDecider, orgDecider } from './deciders.js';
import type { InvitationCommand } from './invitation-decider.js';
import type { OrgCommand } from './org-decider.js';
import { subjects } from './subjects.js';

interface Base {
  store: EventStore;
  actor: Actor;
}

/** The table rows the decided events imply, written in the append's transaction. */
interface Inline {
  inline?: InlineWrite | undefined;
}

/** Org lifecycle and memberships: one roster subject per org. */
export const handleOrgCommand = (options: Base & Inline & { org: string; command: OrgCommand }) =>
  handleCommand({ ...options, subject: subjects.org(options.org), decider: orgDecider });

export const handleInvitationCommand = (
  options: Base & Inline & { org: string; command: InvitationCommand },
) =>
  handleCommand({
    ...options,
    subject: subjects.invitation(options.command.invitationId),
    decider: invitationDecider,
  });

export const handleApiKeyCommand = (options: Base & Inline & { org: string; command: ApiKeyCommand }) =>
  handleCommand({ ...options, subject: subjects.apiKey(options.command.keyId), decider: apiKeyDecider });

/**
 * Accepting spends the invitation and adds the member in one append, each subject at the
 * version it was read: a second acceptance, or a race with a revocation, cannot both win.
 */
export async function acceptInvitation(
  options: Base & { org: string; invitationId: string; userId: string; now: Date },
): Promise<EventEnvelope[]> {
  const { store, org, invitationId, userId, now, actor } = options;
  const invitationSubject = subjects.invitation(invitationId);
  const orgSubject = subjects.org(org);
  const invitation = await foldSubject({
    store,
    org,
    subject: invitationSubject,
    decider: invitationDecider,
  });
  const roster = await foldSubject({ store, org, subject: orgSubject, decider: orgDecider });
  const accepted = invitationDecider.decide({ type: 'accept', invitationId, userId, now }, invitation.state);
  const joined = orgDecider.decide(
    { type: 'add-member', userId, role: invitation.state.role, via: 'invitation', invitationId },
    roster.state,
  );
  return store.append({
    org,
    events: [
      ...toNewEvents({ facts: accepted, subject: invitationSubject, actor }),
      ...toNewEvents({ facts: joined, subject: orgSubject, actor }),
    ],
    expectedVersions: { [invitationSubject]: invitation.version, [orgSubject]: roster.version },
  });
}

/** A new account, in the platform stream: accounts belong to no single org. */
export const recordUserRegistered = (options: Base & { userId: string; emailHash: string }) =>
  options.store.append({
    org: PLATFORM_ORG,
    events: toNewEvents({
      facts: [
        {
          type: 'cp.identity.user.registered',
          data: { userId: options.userId, emailHash: options.emailHash },
        },
      ],
      subject: subjects.user(options.userId),
      actor: options.actor,
    }),
    expectedVersions: { [subjects.user(options.userId)]: 0 },
  });

/**
 * A refused login. Known users' failures go to each org they belong to (that org's admins
 * audit them); unknown addresses, and users of no org, go to the platform stream.
 */
export async function recordLoginFailure(
  options: Base & {
    orgs: readonly string[];
    emailHash: string;
    reason: 'unknown_user' | 'wrong_password' | 'no_membership';
    userId?: string | undefined;
  },
): Promise<void> {
  const data = {
    emailHash: options.emailHash,
    reason: options.reason,
    ...(options.userId ? { userId: options.userId } : {}),
  };
  const targets = options.orgs.length > 0 ? options.orgs : [PLATFORM_ORG];
  for (const org of targets) {
    await options.store.append({
      org,
      events: toNewEvents({
        facts: [{ type: 'cp.identity.login.failed', data }],
        subject: subjects.login(options.emailHash),
        actor: options.actor,
      }),
    });
  }
}
