import { errorSection } from '../entry.js';

/**
 * Approval requests (`commands/src/hitl`, docs/hitl.md): resolving one that is no longer pending, and
 * using an approval that does not let this call through. `hitl_required` itself is a gate refusal
 * (the gateway section): the call waits for a person.
 */
export const hitlErrors = errorSection('api.md#hitl', {
  already_resolved: { status: 409, title: 'The request is already resolved' },
  hitl_unknown: { status: 404, title: 'No such approval request' },
  hitl_denied: { status: 403, title: 'The request was not approved' },
  hitl_mismatch: { status: 403, title: 'The approval was given for other arguments' },
  hitl_used: { status: 403, title: 'The approval was already used' },
});
