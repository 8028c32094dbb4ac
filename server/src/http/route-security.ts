/**
 * Route options every capability shares. They sit here, beside the OpenAPI plugin that declares the
 * `bearer` scheme, so that a capability reaches them without importing another capability's folder.
 */

/** `schema.security` of a route guarded by `requireRole`: it takes `Authorization: Bearer …`. */
export const bearer = [{ bearer: [] }];

/** Per-route rate limit of the credential-issuing routes (429 with Retry-After once spent). */
export const authRateLimit = (max: number) => ({ rateLimit: { max, timeWindow: 60_000 } });
