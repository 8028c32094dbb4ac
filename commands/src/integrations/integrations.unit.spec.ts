import { describe, expect, it } from 'vitest';
import { accessFact } from './access.js';
import { issueOAuthState, OAUTH_STATE_TTL_SECONDS, verifyOAuthState } from './oauth-state.js';
import { parseHitlActionValue, SLACK_APPROVE_ACTION, slackAlertMessage } from './slack-blocks.js';
import { checkSlackSignature, slackSignature } from './slack-signature.js';

const masterKey = Buffer.alloc(32, 7);

describe('access facts', () => {
  it('name the object, operation and sorted field names once each', () => {
    expect(
      accessFact({
        connectionId: 'int_1',
        kind: 'salesforce',
        direction: 'write',
        objectType: 'Lead',
        operation: 'update',
        fields: ['Rating', 'Id', 'Rating'],
        count: 2,
      }),
    ).toEqual({
      type: 'cp.integration.write',
      data: {
        connectionId: 'int_1',
        kind: 'salesforce',
        objectType: 'Lead',
        operation: 'update',
        fields: ['Id', 'Rating'],
        count: 2,
      },
    });
  });

  it('refuse a value passed where a field name belongs', () => {
    const read = (fields: string[]) =>
      accessFact({
        connectionId: 'int_1',
        kind: 'gmail',
        direction: 'read',
        objectType: 'Message',
        operation: 'get',
        fields,
        count: 1,
      });
    expect(() => read(['ann@example.com'])).toThrow();
    expect(() => read(['Dear Ann, the invoice'])).toThrow();
    expect(read(['payload.headers', 'labelIds']).data.fields).toEqual(['labelIds', 'payload.headers']);
  });
});

describe('Slack request signatures', () => {
  const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
  const timestamp = '1531420618';
  const signature = slackSignature({ signingSecret, timestamp, body });

  it('accept the request Slack signed within five minutes', () => {
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(
      checkSlackSignature({ signingSecret, timestamp, signature, body, nowSeconds: 1531420618 + 299 }),
    ).toBeUndefined();
  });

  it('refuse a forged signature, a changed body, a replay and a missing header', () => {
    const forged = slackSignature({ signingSecret: 'another secret', timestamp, body });
    const now = 1531420620;
    expect(checkSlackSignature({ signingSecret, timestamp, signature: forged, body, nowSeconds: now })).toBe(
      'mismatch',
    );
    expect(
      checkSlackSignature({ signingSecret, timestamp, signature, body: `${body}x`, nowSeconds: now }),
    ).toBe('mismatch');
    expect(checkSlackSignature({ signingSecret, timestamp, signature: 'v0=00', body, nowSeconds: now })).toBe(
      'mismatch',
    );
    expect(
      checkSlackSignature({ signingSecret, timestamp, signature, body, nowSeconds: 1531420618 + 301 }),
    ).toBe('stale');
    expect(
      checkSlackSignature({ signingSecret, timestamp: undefined, signature, body, nowSeconds: now }),
    ).toBe('missing');
  });
});

describe('OAuth state', () => {
  const base = { masterKey, org: 'org_a', user: 'usr_a', kind: 'gmail' };
  const state = issueOAuthState({ ...base, nowSeconds: 1_000 });

  it('verifies for the org, user and kind that started it, until it expires', () => {
    expect(verifyOAuthState({ ...base, state, nowSeconds: 1_000 + OAUTH_STATE_TTL_SECONDS })).toBe(true);
    expect(verifyOAuthState({ ...base, state, nowSeconds: 1_001 + OAUTH_STATE_TTL_SECONDS })).toBe(false);
    expect(verifyOAuthState({ ...base, org: 'org_b', state, nowSeconds: 1_000 })).toBe(false);
    expect(verifyOAuthState({ ...base, user: 'usr_b', state, nowSeconds: 1_000 })).toBe(false);
  });

  it('refuses a state under another master key or with its payload changed', () => {
    expect(verifyOAuthState({ ...base, masterKey: Buffer.alloc(32, 8), state, nowSeconds: 1_000 })).toBe(
      false,
    );
    const [, tag] = state.split('.');
    const payload = Buffer.from(
      JSON.stringify({ org: 'org_a', user: 'usr_a', kind: 'gmail', exp: 9e9 }),
    ).toString('base64url');
    expect(verifyOAuthState({ ...base, state: `${payload}.${tag}`, nowSeconds: 1_000 })).toBe(false);
  });
});

describe('Slack Block Kit alerts', () => {
  it('give a HITL request Approve and Deny buttons naming the connection and request', () => {
    const message = slackAlertMessage({
      kind: 'hitl',
      connectionId: 'int_9',
      requestId: 'hitl_1',
      summary: 'Send <@U123> the *quote*',
      risk: 'high',
    });
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: { action_id: string; value: string }[];
    };
    expect(actions.elements.map((e) => e.action_id)).toContain(SLACK_APPROVE_ACTION);
    expect(parseHitlActionValue(actions.elements[0]?.value ?? '')).toEqual({
      connectionId: 'int_9',
      requestId: 'hitl_1',
    });
    expect(JSON.stringify(message.blocks)).toContain('&lt;@U123&gt;');
  });

  it('refuse a button value that is not connection|request', () => {
    expect(parseHitlActionValue('a|b|c')).toBeUndefined();
    expect(parseHitlActionValue('nothing')).toBeUndefined();
  });
});
