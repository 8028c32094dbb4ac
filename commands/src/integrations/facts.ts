import type { Fact } from '../kit/fact.js';

/** A connection's lifecycle, subject `integration/<connection id>`. */
export type IntegrationFact = Fact<
  | 'cp.integration.connected'
  | 'cp.integration.token.refreshed'
  | 'cp.integration.credential.failed'
  | 'cp.integration.disconnected'
  | 'cp.integration.alerts.changed'
>;

/** A read or write of the external system, on the same subject; the decider does not fold these. */
export type IntegrationAccessFact = Fact<'cp.integration.read' | 'cp.integration.write'>;

export type IntegrationKind = 'salesforce' | 'gmail' | 'slack';
export type IntegrationMethod = 'password' | 'refresh_token' | 'oauth_code' | 'bot_token' | 'webhook';

export const integrationSubject = (connectionId: string) => `integration/${connectionId}`;
