import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const WEATHER = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const driver of testDrivers) {
  describe(`POST /v1/messages/count_tokens through the Anthropic SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: Anthropic;
    const subject = (id: string | null | undefined) =>
      t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('takes a body with thinking and breakpoints, counting thinking sent back, encrypted bytes too', async () => {
      const data = await client.messages.countTokens({
        model: 'claude-haiku-4-5',
        system: 'Be brief.',
        thinking: { type: 'enabled', budget_tokens: 2_000 },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'abc', signature: 'sig' },
              { type: 'redacted_thinking', data: 'ENCRYPTED-DATA' },
              { type: 'text', text: 'ok' },
            ],
          },
          { role: 'user', content: 'go' },
        ],
      });
      // 9 + 2 + 3 + 14 + 2 + 2 bytes → 11 tokens, + 3 for each of three messages + 7 for the request.
      expect(data).toEqual({ input_tokens: 27 });
    });

    it('counts locally after the policy gate: no vendor call, no budget, the decision audited', async () => {
      const before = t.anthropic.requests.length;
      const { data, response } = await client.messages
        .countTokens({
          model: 'claude-haiku-4-5',
          system: 'Be brief.',
          messages: [{ role: 'user', content: 'Write to jane.doe@example.com' }],
        })
        .withResponse();
      // 9 + 29 bytes → 13 tokens, + 3 for the one message + 7 for the request.
      expect(data).toEqual({ input_tokens: 23 });
      expect(t.anthropic.requests.length).toBe(before);
      const id = response.headers.get('x-proofpane-request-id');
      expect(id).toMatch(/^req_/);
      const events = await subject(id);
      expect(events.map((e) => e.type)).toEqual(['cp.gate.policy.decided']);
      expect(events[0]!.data).toMatchObject({
        decision: 'allow',
        route: 'anthropic.count_tokens',
        dlp: { EMAIL: 1 },
      });
      expect(JSON.stringify(events)).not.toContain('jane.doe');
      const budget = await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(t.key) });
      expect(budget.json()).toMatchObject({ spentUsd: 0, reservedUsd: 0 });
    });

    it("adds Anthropic's tool-use prompt when tools are offered, and joins the caller's run", async () => {
      const inRun = new Anthropic({
        apiKey: t.key,
        baseURL: t.url,
        maxRetries: 0,
        defaultHeaders: { 'x-proofpane-run-id': 'count-run' },
      });
      const plain = await client.messages.countTokens({
        model: 'claude-haiku-4-5',
        messages: [{ role: 'user', content: 'Lyon?' }],
      });
      const { data, response } = await inRun.messages
        .countTokens({
          model: 'claude-haiku-4-5',
          tools: [WEATHER],
          messages: [{ role: 'user', content: 'Lyon?' }],
        })
        .withResponse();
      const toolBytes = Buffer.byteLength(
        JSON.stringify({
          name: WEATHER.name,
          description: WEATHER.description,
          parameters: WEATHER.input_schema,
        }),
      );
      expect(data.input_tokens).toBe(Math.ceil((5 + toolBytes) / 3) + 3 + 7 + 346);
      expect(data.input_tokens).toBeGreaterThan(plain.input_tokens + 346);
      const [decided] = await subject(response.headers.get('x-proofpane-request-id'));
      expect(decided?.meta).toMatchObject({ runId: 'count-run' });
    });

    it('refuses what the policy blocks in the Anthropic error shape, without echoing the text', async () => {
      const secret = 'AKIAIOSFODNN7EXAMPLE';
      const dlp = (await client.messages
        .countTokens({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: `key ${secret}` }] })
        .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(dlp.status).toBe(403);
      expect(dlp.error).toMatchObject({
        type: 'error',
        error: { type: 'permission_error', code: 'dlp_blocked' },
      });
      expect(JSON.stringify(dlp.error)).not.toContain(secret);

      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(t.key),
        payload: { models: ['claude-haiku-4-5'] },
      });
      expect(put.statusCode).toBe(200);
      const blocked = (await client.messages
        .countTokens({ model: 'claude-opus-4-1', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(blocked.status).toBe(403);
      expect(blocked.error).toMatchObject({ error: { code: 'policy_blocked' } });
      const id = blocked.headers?.get('x-proofpane-request-id');
      const [decided] = await subject(id);
      expect(decided?.data).toMatchObject({ decision: 'block', route: 'anthropic.count_tokens' });
    });
  });
}
