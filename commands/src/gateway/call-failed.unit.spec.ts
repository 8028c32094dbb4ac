import { catalogue, type EventStore } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { auditRefusedRequest, callFailedEvent } from './call-failed.js';

const actor = { kind: 'apikey', id: 'key_1' } as const;

describe('cp.llm.call.failed', () => {
  it('names the call, its party and how it failed, and passes the catalogue', () => {
    const event = callFailedEvent({
      requestId: 'req_1',
      actor,
      party: { provider: 'openai', model: 'gpt-4o-mini', agent: 'bot', apiKeyId: 'key_1' },
      route: 'openai.chat',
      code: 'provider_error',
      message: 'upstream 503',
      attempts: 2,
      latencyMs: 40,
    });
    expect(event).toEqual({
      type: 'cp.llm.call.failed',
      subject: 'call/req_1',
      actor,
      data: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        agent: 'bot',
        apiKeyId: 'key_1',
        route: 'openai.chat',
        code: 'provider_error',
        message: 'upstream 503',
        attempts: 2,
        latencyMs: 40,
      },
    });
    expect(catalogue['cp.llm.call.failed'].safeParse(event.data).success).toBe(true);
  });

  it('cuts a long message to what the catalogue holds and leaves out party fields nobody had', () => {
    const event = callFailedEvent({
      requestId: 'req_2',
      actor,
      party: { provider: 'unknown', model: 'x', agent: undefined, userId: undefined },
      route: 'anthropic.messages',
      code: 'invalid_request',
      message: 'e'.repeat(2_000),
      attempts: 0,
      latencyMs: 0,
    });
    expect(event.data.message).toHaveLength(500);
    expect(Object.keys(event.data)).not.toContain('agent');
    expect(Object.keys(event.data)).not.toContain('userId');
    expect(catalogue['cp.llm.call.failed'].safeParse(event.data).success).toBe(true);
  });
});

describe('a request refused before it became a call', () => {
  it('is appended to its org as a failure with no attempts, an unknown provider and code invalid_request', async () => {
    const appended: unknown[] = [];
    const store = { append: async (batch: unknown) => void appended.push(batch) } as unknown as EventStore;
    await auditRefusedRequest({
      store,
      org: 'org_a',
      requestId: 'req_3',
      actor,
      party: { model: 'no-such-model', apiKeyId: 'key_1' },
      route: 'openai.chat',
      message: 'no provider serves model "no-such-model"',
      latencyMs: 3,
    });
    expect(appended).toEqual([
      {
        org: 'org_a',
        events: [
          {
            type: 'cp.llm.call.failed',
            subject: 'call/req_3',
            actor,
            data: {
              provider: 'unknown',
              model: 'no-such-model',
              apiKeyId: 'key_1',
              route: 'openai.chat',
              code: 'invalid_request',
              message: 'no provider serves model "no-such-model"',
              attempts: 0,
              latencyMs: 3,
            },
          },
        ],
      },
    ]);
  });
});
