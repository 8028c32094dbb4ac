import { z } from 'zod';
import { API_KEY_ROLES, INVITATION_STATUSES, ROLES } from './vocabulary.js';

export { API_KEY_ROLES, INVITATION_STATUSES, ROLES };

export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

export const apiKeyRole = z.enum(API_KEY_ROLES);
export type ApiKeyRole = z.infer<typeof apiKeyRole>;

export const email = z.email().max(254);
export const password = z.string().min(8, 'must be at least 8 characters').max(256);
export const entityId = z.string().min(1).max(200);

export const userView = z.object({ id: z.string(), email: z.string() });
export type UserView = z.infer<typeof userView>;
export const orgView = z.object({ id: z.string(), name: z.string() });
export type OrgView = z.infer<typeof orgView>;

/** What registering, signing in and switching org return: a bearer token and who it acts as. */
export const session = z.object({ token: z.string(), expiresAt: z.string(), user: userView, org: orgView });
export type Session = z.infer<typeof session>;

export const registerBody = z.object({ email, password, orgName: z.string().trim().min(1).max(200) });
export type RegisterBody = z.input<typeof registerBody>;
export const loginBody = z.object({ email, password: z.string().min(1).max(256), org: entityId.optional() });
export type LoginBody = z.input<typeof loginBody>;
export const switchOrgBody = z.object({ org: entityId });

/** `GET /api/auth/me`: the credential's org and role, and the user or API key behind it. */
export const whoAmI = z.object({
  org: orgView,
  role,
  actor: z.object({ kind: z.enum(['user', 'apikey']), id: z.string() }),
  user: userView.optional(),
  apiKeyId: z.string().optional(),
});
export type WhoAmI = z.infer<typeof whoAmI>;

export const orgWithRole = orgView.extend({ role });
export type OrgWithRole = z.infer<typeof orgWithRole>;
export const orgList = z.object({ orgs: z.array(orgWithRole) });
export type OrgList = z.infer<typeof orgList>;
export const createOrgBody = z.object({ name: z.string().trim().min(1).max(200) });
export const orgCreated = z.object({ org: orgWithRole, token: z.string(), expiresAt: z.string() });
export type OrgCreated = z.infer<typeof orgCreated>;

export const member = z.object({ userId: z.string(), email: z.string(), role, joinedAt: z.string() });
export type Member = z.infer<typeof member>;
export const memberList = z.object({ members: z.array(member) });
export type MemberList = z.infer<typeof memberList>;
export const memberParams = z.object({ userId: entityId });
export const memberRoleBody = z.object({ role });

/** How an invitation's link left: by mail, or (without SMTP) back to the admin who sent it. */
export const invitationDelivery = z.discriminatedUnion('method', [
  z.object({ method: z.literal('smtp'), sent: z.boolean(), error: z.string().optional() }),
  z.object({ method: z.literal('log'), link: z.string(), note: z.string() }),
]);
export type InvitationDelivery = z.infer<typeof invitationDelivery>;

export const invitationStatus = z.enum(INVITATION_STATUSES);

export const inviteBody = z.object({ email, role: role.default('member') });
export type InviteBody = z.input<typeof inviteBody>;
export const invitationCreated = z.object({
  id: z.string(),
  email: z.string(),
  role,
  expiresAt: z.string(),
  delivery: invitationDelivery,
});
export type InvitationCreated = z.infer<typeof invitationCreated>;
export const invitationListQuery = z.object({ status: invitationStatus.optional() });
export const invitation = z.object({
  id: z.string(),
  email: z.string(),
  role,
  status: invitationStatus,
  expiresAt: z.string(),
  createdAt: z.string(),
  invitedBy: z.string(),
});
export type Invitation = z.infer<typeof invitation>;
export const invitationList = z.object({ invitations: z.array(invitation) });
export type InvitationList = z.infer<typeof invitationList>;

export const acceptInvitationBody = z.object({
  token: z.string().min(20).max(200),
  password: password.optional(),
});
export type AcceptInvitationBody = z.input<typeof acceptInvitationBody>;
/** Accepting signs the invitee in: a session in the org, without an expiry stated. */
export const invitationAccepted = z.object({ token: z.string(), user: userView, org: orgView, role });
export type InvitationAccepted = z.infer<typeof invitationAccepted>;

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  role: apiKeyRole.default('member'),
  agent: z.string().trim().min(1).max(100).optional(),
});
export type CreateApiKeyBody = z.input<typeof createApiKeyBody>;
/** The only answer that holds the key itself. */
export const apiKeyCreated = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  role: apiKeyRole,
  prefix: z.string(),
  createdAt: z.string(),
});
export type ApiKeyCreated = z.infer<typeof apiKeyCreated>;
export const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: apiKeyRole,
  agent: z.string().nullable(),
  prefix: z.string(),
  last4: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKey>;
export const apiKeyList = z.object({ apiKeys: z.array(apiKey) });
export type ApiKeyList = z.infer<typeof apiKeyList>;
