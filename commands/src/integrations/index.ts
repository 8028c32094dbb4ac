export { type AccessOperation, accessFact } from './access.js';
export {
  ALERT_EVENT_TYPES,
  ALERT_KINDS,
  type AlertKind,
  alertFromEvent,
  alertKindsSetting,
  parseAlertKinds,
} from './alert-kinds.js';
export {
  createIntegrationVault,
  credentialFingerprint,
  type IntegrationCredentials,
  type IntegrationVault,
  migrateIntegrationCredentials,
} from './credentials.js';
export { type IntegrationCommand, integrationDecider } from './decide.js';
export { IntegrationError } from './errors.js';
export {
  type IntegrationAccessFact,
  type IntegrationFact,
  type IntegrationKind,
  type IntegrationMethod,
  integrationSubject,
} from './facts.js';
export { handleIntegrationCommand, recordIntegrationAccess } from './handlers.js';
export { issueOAuthState, OAUTH_STATE_TTL_SECONDS, verifyOAuthState } from './oauth-state.js';
export {
  hitlActionValue,
  parseHitlActionValue,
  SLACK_APPROVE_ACTION,
  SLACK_DENY_ACTION,
  type SlackAlert,
  type SlackMessage,
  slackAlertMessage,
} from './slack-blocks.js';
export {
  checkSlackSignature,
  SLACK_REPLAY_WINDOW_SECONDS,
  type SlackSignatureProblem,
  slackSignature,
} from './slack-signature.js';
export { evolveIntegration, type IntegrationState, type IntegrationStatus } from './state.js';
