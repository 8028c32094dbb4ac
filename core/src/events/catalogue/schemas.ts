import { z } from 'zod';

/** Building blocks shared by the event schemas. */
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case SHA-256 hex digest');
export const id = z.string().min(1).max(200);
export const usdMicros = z.number().int().nonnegative();

export type EventSchemas = Record<string, z.ZodType>;
