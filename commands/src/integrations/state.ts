import type { IntegrationFact, IntegrationKind, IntegrationMethod } from './facts.js';

/** `active` until the vendor refuses the credential (`revoked`, `expired`) or an admin disconnects it. */
export type IntegrationStatus = 'active' | 'revoked' | 'expired' | 'disconnected';

export type IntegrationState =
  | { status: 'none' }
  | { status: IntegrationStatus; kind: IntegrationKind; method: IntegrationMethod; fingerprint: string };

export const initialIntegrationState = (): IntegrationState => ({ status: 'none' });

export function evolveIntegration(state: IntegrationState, fact: IntegrationFact): IntegrationState {
  switch (fact.type) {
    case 'cp.integration.connected':
      return {
        status: 'active',
        kind: fact.data.kind,
        method: fact.data.method,
        fingerprint: fact.data.fingerprint,
      };
    case 'cp.integration.token.refreshed':
      return state.status === 'none' ? state : { ...state, fingerprint: fact.data.fingerprint };
    case 'cp.integration.credential.failed':
      return state.status === 'none' ? state : { ...state, status: fact.data.status };
    case 'cp.integration.disconnected':
      return state.status === 'none' ? state : { ...state, status: 'disconnected' };
    case 'cp.integration.alerts.changed':
      return state;
    default:
      return fact satisfies never;
  }
}
