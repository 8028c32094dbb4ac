import { API_KEY_ROLES, ROLES, type Role } from '@proofpane/api';

export type { ApiKeyRole, Role } from '@proofpane/api';

/** Roles inside one organisation, strongest first (the HTTP contract's list). API keys are never owners. */
export const roles = ROLES;
export const apiKeyRoles = API_KEY_ROLES;

const rank: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** True when `role` grants at least what `required` grants. */
export const hasRole = (options: { role: Role; required: Role }): boolean =>
  rank[options.role] >= rank[options.required];
