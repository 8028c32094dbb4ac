import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { integrationDecider } from './decide.js';
import { IntegrationError } from './errors.js';
import type { IntegrationFact } from './facts.js';

const spec = deciderSpec(integrationDecider);
const connectionId = 'int_1';
const connected: IntegrationFact = {
  type: 'cp.integration.connected',
  data: {
    connectionId,
    kind: 'salesforce',
    method: 'refresh_token',
    label: 'Sales',
    fingerprint: 'aaaaaaaa',
  },
};
const revoked: IntegrationFact = {
  type: 'cp.integration.credential.failed',
  data: { connectionId, kind: 'salesforce', status: 'revoked', reason: 'invalid_grant' },
};
const code = (c: string) => (e: unknown) => e instanceof IntegrationError && e.code === c;

describe('the integration connection decider', () => {
  it('connects a fresh id once', () => {
    spec
      .given([])
      .when({
        type: 'connect',
        connectionId,
        kind: 'salesforce',
        method: 'refresh_token',
        label: 'Sales',
        fingerprint: 'aaaaaaaa',
      })
      .then([connected]);
    expect(() =>
      integrationDecider.decide(
        {
          type: 'connect',
          connectionId,
          kind: 'slack',
          method: 'bot_token',
          label: 'x',
          fingerprint: 'bbbbbbbb',
        },
        integrationDecider.evolve(integrationDecider.initialState(), connected),
      ),
    ).toThrow(/already exists/);
  });

  it('records a refreshed token by its new fingerprint while active', () => {
    spec
      .given([connected])
      .when({ type: 'refresh', connectionId, fingerprint: 'cccccccc' })
      .then([
        {
          type: 'cp.integration.token.refreshed',
          data: { connectionId, kind: 'salesforce', fingerprint: 'cccccccc' },
        },
      ]);
  });

  it('marks a refused credential once, and refuses to refresh it until connected again', () => {
    spec
      .given([connected])
      .when({ type: 'fail', connectionId, status: 'revoked', reason: 'invalid_grant' })
      .then([revoked]);
    spec
      .given([connected, revoked])
      .when({ type: 'fail', connectionId, status: 'expired', reason: 'x' })
      .then([]);
    spec
      .given([connected, revoked])
      .when({ type: 'refresh', connectionId, fingerprint: 'dddddddd' })
      .thenThrows(code('integration_credential_revoked'));
  });

  it('keeps a vendor message that is not a plain code out of the event', () => {
    spec
      .given([connected])
      .when({ type: 'fail', connectionId, status: 'expired', reason: 'token for ann@example.com expired' })
      .then([
        {
          type: 'cp.integration.credential.failed',
          data: { connectionId, kind: 'salesforce', status: 'expired', reason: 'unknown' },
        },
      ]);
  });

  it('disconnects once; a disconnected or unknown connection is not found', () => {
    spec
      .given([connected, revoked])
      .when({ type: 'disconnect', connectionId })
      .then([{ type: 'cp.integration.disconnected', data: { connectionId, kind: 'salesforce' } }]);
    spec
      .given([connected, { type: 'cp.integration.disconnected', data: { connectionId, kind: 'salesforce' } }])
      .when({ type: 'disconnect', connectionId })
      .thenThrows(code('integration_not_found'));
    spec.given([]).when({ type: 'disconnect', connectionId }).thenThrows(code('integration_not_found'));
  });
});
