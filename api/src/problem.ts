import { z } from 'zod';

export { PROBLEM_CONTENT_TYPE } from './vocabulary.js';

/** One refused input field: `body.email`, `query.limit`, `params.id`, … */
export const fieldError = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldError>;

/**
 * RFC 9457 problem details, the body of every error the `/api` routes send (the `/v1` routes answer
 * in the vendors' shapes). `code` is stable; docs/api.md lists every one. A problem may carry more
 * members than these.
 */
export const problem = z.looseObject({
  type: z.string(),
  code: z.string(),
  status: z.number().int(),
  title: z.string(),
  detail: z.string(),
  instance: z.string(),
  requestId: z.string(),
  errors: z.array(fieldError).optional(),
});
export type Problem = z.infer<typeof problem>;
