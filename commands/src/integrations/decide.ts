import type { Decider } from '../kit/decider.js';
import { ALERT_KINDS, type AlertKind } from './alert-kinds.js';
import { IntegrationError } from './errors.js';
import type { IntegrationFact, IntegrationKind, IntegrationMethod } from './facts.js';
import { evolveIntegration, type IntegrationState, initialIntegrationState } from './state.js';

export type IntegrationCommand =
  | {
      type: 'connect';
      connectionId: string;
      kind: IntegrationKind;
      method: IntegrationMethod;
      label: string;
      fingerprint: string;
      settings?: Record<string, string> | undefined;
    }
  | { type: 'refresh'; connectionId: string; fingerprint: string }
  | { type: 'fail'; connectionId: string; status: 'revoked' | 'expired'; reason: string }
  | { type: 'disconnect'; connectionId: string }
  | { type: 'set-alerts'; connectionId: string; alerts: AlertKind[] };

const VENDOR_CODE = /^[a-z0-9_.-]{1,60}$/;

/**
 * One connection to an external system: connected once under a fresh id; its access token refreshed while
 * active; marked revoked or expired when the vendor refuses the credential (once: a second refusal records
 * nothing); disconnected by an admin. A revoked connection is not refreshed: only connecting again heals it.
 */
export const integrationDecider: Decider<IntegrationCommand, IntegrationState, IntegrationFact> = {
  initialState: initialIntegrationState,
  understands: (type) =>
    type === 'cp.integration.connected' ||
    type === 'cp.integration.token.refreshed' ||
    type === 'cp.integration.credential.failed' ||
    type === 'cp.integration.disconnected' ||
    type === 'cp.integration.alerts.changed',
  evolve: evolveIntegration,
  decide(command, state) {
    const { connectionId } = command;
    if (command.type === 'connect') {
      if (state.status !== 'none')
        throw new Error(`connection ${connectionId} already exists; every connect takes a fresh id`);
      const { kind, method, label, fingerprint, settings } = command;
      return [
        {
          type: 'cp.integration.connected',
          data: { connectionId, kind, method, label, fingerprint, ...(settings ? { settings } : {}) },
        },
      ];
    }
    if (state.status === 'none' || state.status === 'disconnected')
      throw new IntegrationError('integration_not_found', `no connection ${connectionId}`);
    const { kind } = state;
    switch (command.type) {
      case 'refresh':
        if (state.status !== 'active')
          throw new IntegrationError(
            'integration_credential_revoked',
            `connection ${connectionId} is ${state.status}; connect it again`,
          );
        return [
          {
            type: 'cp.integration.token.refreshed',
            data: { connectionId, kind, fingerprint: command.fingerprint },
          },
        ];
      case 'fail':
        if (state.status !== 'active') return [];
        return [
          {
            type: 'cp.integration.credential.failed',
            data: {
              connectionId,
              kind,
              status: command.status,
              // A vendor's code is kept only when it is a plain code; anything else could echo input.
              reason: VENDOR_CODE.test(command.reason) ? command.reason : 'unknown',
            },
          },
        ];
      case 'disconnect':
        return [{ type: 'cp.integration.disconnected', data: { connectionId, kind } }];
      case 'set-alerts': {
        if (kind !== 'slack')
          throw new IntegrationError('integration_not_found', `connection ${connectionId} is not Slack`);
        const alerts = ALERT_KINDS.filter((k) => command.alerts.includes(k));
        return [{ type: 'cp.integration.alerts.changed', data: { connectionId, kind, alerts } }];
      }
      default:
        return command satisfies never;
    }
  },
};
