import { z } from 'zod';

/** `/:id` of a row the caller's org owns (a device, a HITL request). */
export const idParams = z.object({ id: z.string().min(1).max(100) });
