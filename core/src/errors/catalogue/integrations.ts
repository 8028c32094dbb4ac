import { errorSection } from '../entry.js';

/** External integrations (`commands/src/integrations`, docs/integrations.md): connections, OAuth, Slack. */
export const integrationErrors = errorSection('api.md#integrations', {
  integration_not_found: { status: 404, title: 'No integration connection with this id in the org' },
  integration_not_configured: {
    status: 409,
    title: 'The operator has not configured this integration (client id, secret or allowed host)',
  },
  integration_oauth_state_invalid: {
    status: 400,
    title: 'The OAuth state is missing, forged, expired or was issued to someone else',
  },
  integration_credential_rejected: { status: 422, title: 'The vendor refused the credential' },
  integration_credential_revoked: {
    status: 409,
    title: 'The connection is revoked or expired; connect it again',
  },
  integration_upstream_failed: {
    status: 502,
    title: 'The external system failed or answered malformed data',
  },
  integration_approver_not_allowed: {
    status: 403,
    title: "The Slack user is not among the connection's approvers",
  },
  integration_signature_invalid: {
    status: 401,
    title: "The request is not signed with the connection's signing secret, or is too old",
  },
});
