import { errorSection } from '../entry.js';

/**
 * Refusals of a governed call (`commands/src/gateway`): the `/v1` routes answer them in the vendors'
 * error shapes, `/api/tools/call` as problem+json. Both read status and title from here.
 */
export const gatewayErrors = errorSection('gateway.md#errors', {
  policy_blocked: { status: 403, title: 'Refused by policy' },
  dlp_blocked: { status: 403, title: 'The request carries data the policy blocks' },
  hitl_required: { status: 403, title: 'A person must approve this call' },
  provider_error: { status: 502, title: 'The provider failed' },
  invalid_request: { status: 400, title: 'The request is not valid for this wire format' },
});
