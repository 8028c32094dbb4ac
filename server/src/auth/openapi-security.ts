/** `schema.security` of a route guarded by `requireRole`: it takes `Authorization: Bearer …`. */
export const bearerSecurity = [{ bearer: [] }];
