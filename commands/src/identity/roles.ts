/** Roles inside one organisation, strongest first. API keys are never owners. */
export const roles = ['owner', 'admin', 'member'] as const;
export type Role = (typeof roles)[number];
export const apiKeyRoles = ['admin', 'member'] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

const rank: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** True when `role` grants at least what `required` grants. */
export const hasRole = (options: { role: Role; required: Role }): boolean =>
  rank[options.role] >= rank[options.required];
