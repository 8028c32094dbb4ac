import { hash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const WEATHER = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

for (const driver of testDrivers) {
  describe(`POST /v1/messages through the Anthropic SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: Anthropic;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('authenticates with x-api-key, masks upstream, restores for the caller', async () => {
      t.anthropic.script({ text: 'Calling [PHONE_1] now.', usage: { input: 15, output: 6 } });
      const { data, response } = await client.messages
        .create({
          model: 'claude-haiku-4-5',
          max_tokens: 100,
          system: 'Be brief.',
          messages: [{ role: 'user', content: 'Call me on +44 20 7946 0958 please' }],
        })
        .withResponse();
      expect(data.content).toEqual([{ type: 'text', text: 'Calling +44 20 7946 0958 now.' }]);
      expect(data.usage).toMatchObject({ input_tokens: 15, output_tokens: 6 });
      expect(data.stop_reason).toBe('end_turn');
      const upstream = t.anthropic.requests.at(-1)!;
      expect(JSON.stringify(upstream.body)).not.toContain('7946');
      expect(upstream.headers['x-api-key']).toBe('sk-ant-platform-test-key');
      expect(response.headers.get('x-proofpane-request-id')).toMatch(/^req_/);
      expect(response.headers.get('server-timing')).toMatch(/provider;dur=/);
    });

    it('streams text and tool_use blocks (input_json_delta) and restores masked values', async () => {
      t.anthropic.script({ text: 'Mailing [EMAIL_1].', chunks: 5, usage: { input: 9, output: 5 } });
      const stream = client.messages.stream({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Mail ann@example.net' }],
      });
      const deltas: string[] = [];
      stream.on('text', (d) => deltas.push(d));
      const final = await stream.finalMessage();
      expect(final.content).toEqual(
        [{ type: 'text', text: 'Mailing ann@example.net.', citations: null }].map(({ citations: _c, ...b }) =>
          expect.objectContaining(b),
        ),
      );
      expect(deltas.join('')).toBe('Mailing ann@example.net.');
      expect(deltas.length).toBeGreaterThan(1);

      t.anthropic.script({
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Lyon' } }],
        chunks: 3,
      });
      const tool = await client.messages
        .stream({
          model: 'claude-haiku-4-5',
          max_tokens: 64,
          tools: [WEATHER],
          messages: [{ role: 'user', content: 'Lyon?' }],
        })
        .finalMessage();
      expect(tool.stop_reason).toBe('tool_use');
      expect(tool.content.find((b) => b.type === 'tool_use')).toMatchObject({
        name: 'get_weather',
        input: { city: 'Lyon' },
      });
    });

    it('runs a tool round trip: tool_result goes upstream as a tool message', async () => {
      t.anthropic.script({ text: 'It is 21°C in Lyon.' });
      const res = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        tools: [WEATHER],
        tool_choice: { type: 'auto' },
        messages: [
          { role: 'user', content: 'Lyon?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Lyon' } }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: '21C' }] },
        ],
      });
      expect(res.content[0]).toMatchObject({ type: 'text', text: 'It is 21°C in Lyon.' });
      const sent = JSON.stringify(t.anthropic.requests.at(-1)!.body.messages);
      expect(sent).toContain('tool_result');
      expect(sent).toContain('toolu_9');
    });

    it('blocks a secret with dlp_blocked (403) in the Anthropic error shape, audited', async () => {
      const before = t.anthropic.requests.length;
      const error = (await client.messages
        .create({
          model: 'claude-haiku-4-5',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'my key is AKIAIOSFODNN7EXAMPLE ok' }],
        })
        .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
      const body = error.error as { type: string; error: { type: string; code: string; request_id: string } };
      expect(body.type).toBe('error');
      expect(body.error).toMatchObject({ type: 'permission_error', code: 'dlp_blocked' });
      expect(t.anthropic.requests.length).toBe(before);
      const decided = await t.runtime.store.readSubject({
        org: t.account.org,
        subject: `call/${body.error.request_id}`,
      });
      expect(decided.map((e) => e.type)).toEqual(['cp.gate.policy.decided']);
      expect(decided[0]!.data).toMatchObject({
        decision: 'block',
        code: 'dlp_blocked',
        dlp: { API_SECRET: 1 },
      });
      expect(JSON.stringify(decided)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    });

    it('treats thinking as answer text: restored for the caller, masked again when it comes back', async () => {
      const masked = 'The user is [EMAIL_1]; reply to [EMAIL_1].';
      const thinking = [{ text: masked, signature: 'sig-D' }];
      const ask = {
        model: 'claude-haiku-4-5',
        max_tokens: 4_000,
        thinking: { type: 'enabled' as const, budget_tokens: 2_000 },
        messages: [{ role: 'user' as const, content: 'I am ann@example.net' }],
      };
      t.anthropic.script({ thinking, text: 'Noted.' });
      const answer = await client.messages.create(ask);
      expect(answer.content[0]).toEqual({
        type: 'thinking',
        thinking: 'The user is ann@example.net; reply to ann@example.net.',
        signature: 'sig-D',
      });
      expect(JSON.stringify(t.anthropic.requests.at(-1)!.body)).not.toContain('ann@example.net');
      // Hashed as the vendor wrote it, with the text, like any completion; the thinking itself is not kept.
      const events = await t.runtime.store.readSubject({
        org: t.account.org,
        subject: `call/${answer._request_id}`,
      });
      const completed = events.find((e) => e.type === 'cp.llm.call.completed')!.data as {
        completionSha256: string;
      };
      expect(completed.completionSha256).toBe(
        hash(
          'sha256',
          JSON.stringify(['Noted.', [], [{ type: 'thinking', text: masked, signature: 'sig-D' }]]),
          'hex',
        ),
      );
      expect(JSON.stringify(events)).not.toContain('reply to');

      // Streamed in pieces that split the placeholders, and restored within the thinking block.
      t.anthropic.script({ thinking, text: 'Noted.', chunks: 9 });
      const stream = client.messages.stream(ask);
      const pieces: string[] = [];
      stream.on('thinking', (delta) => pieces.push(delta));
      const final = await stream.finalMessage();
      expect(pieces.join('')).toBe('The user is ann@example.net; reply to ann@example.net.');
      expect(final.content[0]).toEqual(answer.content[0]);

      // Sent back, the thinking is masked to what the vendor signed: the same value gets the same placeholder.
      t.anthropic.script({ text: 'Done.' });
      await client.messages.create({
        ...ask,
        messages: [
          ...ask.messages,
          { role: 'assistant', content: final.content },
          { role: 'user', content: 'go on' },
        ],
      });
      expect(t.anthropic.requests.at(-1)!.body.messages).toMatchObject([
        { content: [{ type: 'text', text: 'I am [EMAIL_1]' }] },
        {
          content: [
            { type: 'thinking', thinking: masked, signature: 'sig-D' },
            { type: 'text', text: 'Noted.' },
          ],
        },
        { content: [{ type: 'text', text: 'go on' }] },
      ]);
    });

    it('scans thinking sent back with DLP like any other text', async () => {
      const before = t.anthropic.requests.length;
      const error = (await client.messages
        .create({
          model: 'claude-haiku-4-5',
          max_tokens: 4_000,
          thinking: { type: 'enabled', budget_tokens: 2_000 },
          messages: [
            { role: 'user', content: 'hi' },
            {
              role: 'assistant',
              content: [
                { type: 'thinking', thinking: 'the key is AKIAIOSFODNN7EXAMPLE', signature: 'forged' },
                { type: 'text', text: 'ok' },
              ],
            },
            { role: 'user', content: 'and?' },
          ],
        })
        .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
      expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
      expect((error.error as { error: { code: string } }).error.code).toBe('dlp_blocked');
      expect(t.anthropic.requests.length).toBe(before);
    });

    it('refuses a body without max_tokens as invalid_request (400)', async () => {
      const res = await fetch(`${t.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': t.key,
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { type: string; error: { type: string; code: string } };
      expect(body).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', code: 'invalid_request' },
      });
      expect(res.headers.get('x-proofpane-request-id')).toMatch(/^req_/);
    });
  });
}
