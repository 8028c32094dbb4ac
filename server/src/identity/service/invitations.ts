import { randomBytes } from 'node:crypto';
import {
  acceptInvitation as acceptCommand,
  emailHash,
  handleInvitationCommand,
  IdentityError,
  normaliseEmail,
  type Role,
} from '@proofpane/commands';
import { newId, sha256Hex } from '@proofpane/core';
import type { Principal } from '../../auth/principal.js';
import { apiError } from '../../http/errors.js';
import { committed, type IdentityContext } from '../context.js';
import { membershipRole, orgById, userByEmail } from '../tables/queries.js';
import { createUser, sessionFor } from './accounts.js';
import { invitationMail } from './invitation-mail.js';
import { requester } from './members.js';

const hashToken = (token: string) => sha256Hex(`proofpane:invitation:${token}`);

/**
 * Invites an address into the caller's org. The token exists only in the link: the event
 * holds the invitation id and email hash, the table the token's hash.
 */
export async function invite(
  ctx: IdentityContext,
  input: { principal: Principal; email: string; role: Role },
) {
  const { principal } = input;
  const email = normaliseEmail(input.email);
  const existing = await userByEmail({ db: ctx.db, email });
  if (existing && (await membershipRole({ db: ctx.db, org: principal.org, userId: existing.id })))
    throw new IdentityError('already_member');
  const id = newId('inv');
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.invitationTtlHours * 3_600_000);
  const events = await handleInvitationCommand({
    store: ctx.store,
    org: principal.org,
    actor: principal.actor,
    command: {
      type: 'invite',
      invitationId: id,
      emailHash: emailHash(email),
      role: input.role,
      expiresAt,
      by: requester(principal),
    },
  });
  await ctx.db
    .insertInto('identity_invitations')
    .values({
      id,
      org: principal.org,
      email,
      role: input.role,
      token_hash: hashToken(token),
      expires_at: expiresAt,
      created_at: now,
      invited_by: principal.actor.id,
      status: 'pending',
      accepted_by: null,
    })
    .execute();
  await committed(ctx, events);
  const org = await orgById({ db: ctx.db, id: principal.org });
  const link = `${ctx.config.publicUrl}/invitations/accept#token=${token}`;
  const delivery = await ctx.mailer.send(
    invitationMail({ to: email, orgName: org?.name ?? principal.org, role: input.role, link, expiresAt }),
  );
  const view = { id, email, role: input.role, expiresAt: expiresAt.toISOString() };
  if (delivery.method === 'log') {
    // The link goes back to the inviting admin only: logged, it would let anyone who reads the log join.
    ctx.log.info(
      { invitationId: id, org: principal.org },
      'invitation created without mail (SMTP_URL is not set); the link was returned to the inviting admin',
    );
    return {
      ...view,
      delivery: {
        method: 'log' as const,
        link,
        note: 'SMTP is not configured: no mail was sent. Give this link to the invitee yourself; it is shown only here.',
      },
    };
  }
  return { ...view, delivery };
}

export async function acceptInvitation(
  ctx: IdentityContext,
  input: { token: string; password?: string | undefined },
) {
  const row = await ctx.db
    .selectFrom('identity_invitations')
    .selectAll()
    .where('token_hash', '=', hashToken(input.token))
    .executeTakeFirst();
  if (!row) throw apiError('not_found', 'the invitation link is not valid');
  const now = ctx.now();
  if (row.status === 'accepted') throw new IdentityError('invitation_used');
  if (row.status === 'revoked') throw new IdentityError('invitation_revoked');
  if (now.getTime() >= new Date(row.expires_at).getTime()) throw new IdentityError('invitation_expired');
  const existing = await userByEmail({ db: ctx.db, email: row.email });
  let user = existing ? { id: existing.id, email: existing.email } : undefined;
  if (!user) {
    if (!input.password)
      throw apiError('validation_failed', 'body.password: required to create the invitee’s account', {
        errors: [{ field: 'body.password', message: 'required to create the invitee’s account' }],
      });
    const joining = await orgById({ db: ctx.db, id: row.org });
    user = await createUser(ctx, { email: row.email, password: input.password, orgName: joining?.name });
  }
  await committed(
    ctx,
    await acceptCommand({
      store: ctx.store,
      org: row.org,
      invitationId: row.id,
      userId: user.id,
      now,
      actor: { kind: 'user', id: user.id },
    }),
  );
  const org = await orgById({ db: ctx.db, id: row.org });
  const session = await sessionFor(ctx, { userId: user.id, org: row.org });
  return {
    token: session.token,
    user,
    org: { id: row.org, name: org?.name ?? row.org },
    role: row.role as Role,
  };
}

export async function listInvitations(ctx: IdentityContext, org: string) {
  const rows = await ctx.db
    .selectFrom('identity_invitations')
    .select(['id', 'email', 'role', 'status', 'expires_at', 'created_at', 'invited_by'])
    .where('org', '=', org)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const now = ctx.now().getTime();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role as Role,
    status: (r.status === 'pending' && new Date(r.expires_at).getTime() <= now ? 'expired' : r.status) as
      | 'pending'
      | 'accepted'
      | 'revoked'
      | 'expired',
    expiresAt: new Date(r.expires_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    invitedBy: r.invited_by,
  }));
}

export async function revokeInvitation(
  ctx: IdentityContext,
  input: { principal: Principal; invitationId: string },
) {
  await committed(
    ctx,
    await handleInvitationCommand({
      store: ctx.store,
      org: input.principal.org,
      actor: input.principal.actor,
      command: { type: 'revoke', invitationId: input.invitationId },
    }),
  );
}
