import { apiKeyRoles, roles } from '@proofpane/commands';
import { z } from 'zod';

export const email = z.email().max(254);
export const password = z.string().min(8, 'must be at least 8 characters').max(256);
export const role = z.enum(roles);
export const apiKeyRole = z.enum(apiKeyRoles);
export const entityId = z.string().min(1).max(200);

export const userView = z.object({ id: z.string(), email: z.string() });
export const orgView = z.object({ id: z.string(), name: z.string() });
export const session = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: userView,
  org: orgView,
});
