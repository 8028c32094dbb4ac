import { handleOrgCommand, type Requester, type Role } from '@proofpane/commands';
import type { Principal } from '../../auth/principal.js';
import { committed, type IdentityContext } from '../context.js';

const requester = (principal: Principal): Requester => ({ role: principal.role, userId: principal.userId });

export async function listMembers(ctx: IdentityContext, org: string) {
  const rows = await ctx.db
    .selectFrom('identity_memberships as m')
    .innerJoin('identity_users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.email', 'm.role', 'm.joined_at'])
    .where('m.org', '=', org)
    .orderBy('m.joined_at')
    .orderBy('m.user_id')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    email: r.email,
    role: r.role as Role,
    joinedAt: new Date(r.joined_at).toISOString(),
  }));
}

export async function changeMemberRole(
  ctx: IdentityContext,
  input: { principal: Principal; userId: string; role: Role },
) {
  const { principal } = input;
  await committed(
    ctx,
    await handleOrgCommand({
      store: ctx.store,
      org: principal.org,
      actor: principal.actor,
      command: { type: 'change-role', userId: input.userId, role: input.role, by: requester(principal) },
    }),
  );
}

export async function removeMember(ctx: IdentityContext, input: { principal: Principal; userId: string }) {
  const { principal } = input;
  await committed(
    ctx,
    await handleOrgCommand({
      store: ctx.store,
      org: principal.org,
      actor: principal.actor,
      command: { type: 'remove-member', userId: input.userId, by: requester(principal) },
    }),
  );
}

export { requester };
