import { apiError } from '../../http/errors.js';
import type { ResolveOrg } from '../org.js';

/** Tests authenticate with this header until the auth layer's principal is wired in. */
export const TEST_ORG_HEADER = 'x-test-org';

export const headerOrg: ResolveOrg = (request) => {
  const org = request.headers[TEST_ORG_HEADER];
  if (typeof org !== 'string' || org === '')
    throw apiError('unauthenticated', `no ${TEST_ORG_HEADER} header`);
  return org;
};
