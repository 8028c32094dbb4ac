import { z } from 'zod';
import { id } from './schemas.js';

/** Facts of the platform stream (org `_platform`). */
export const platformEvents = {
  'cp.platform.signing-key.rotated': z.strictObject({ retiredKeyId: id, currentKeyId: id }),
} as const;
