import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

// gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens (bundled table).
const costOf = (input: number, cached: number, output: number) =>
  Math.ceil(((input - cached) * 150_000 + cached * 75_000 + output * 600_000) / 1_000_000);

// Long enough that the reported input stays within the gateway's input bound (one token per byte).
const LONG = 'cache me '.repeat(700);

for (const driver of testDrivers) {
  describe(`OpenAI cached tokens through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    const completed = async (id: string | null) =>
      (await t.events(t.account.org, 'cp.llm.call.completed')).find((e) => e.subject === `call/${id}`)!;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('returns prompt_tokens_details.cached_tokens, records and prices them at the cache-read rate', async () => {
      t.openai.script({ text: 'ok', usage: { input: 4000, output: 10, cacheRead: 3072 } });
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: LONG }] })
        .withResponse();
      expect(data.usage).toMatchObject({
        prompt_tokens: 4000,
        prompt_tokens_details: { cached_tokens: 3072 },
      });
      const event = await completed(response.headers.get('x-proofpane-request-id'));
      expect(event.data).toMatchObject({
        inputTokens: 4000,
        cacheReadTokens: 3072,
        costMicros: costOf(4000, 3072, 10),
      });
      expect(costOf(4000, 3072, 10)).toBeLessThan(costOf(4000, 0, 10));
    });

    it('reports cached tokens in the streamed usage chunk', async () => {
      t.openai.script({ text: 'streamed', usage: { input: 2048, output: 3, cacheRead: 1024 } });
      const stream = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          max_tokens: 20,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: LONG }],
        })
        .withResponse();
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream.data) if (chunk.usage) usage = chunk.usage;
      expect(usage?.prompt_tokens_details?.cached_tokens).toBe(1024);
      const event = await completed(stream.response.headers.get('x-proofpane-request-id'));
      expect(event.data).toMatchObject({ cacheReadTokens: 1024, costMicros: costOf(2048, 1024, 3) });
    });

    it('reports no cached tokens as 0 and records none', async () => {
      t.openai.script({ text: 'ok', usage: { input: 30, output: 2 } });
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: LONG }] })
        .withResponse();
      expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
      const event = await completed(response.headers.get('x-proofpane-request-id'));
      expect(event.data).not.toHaveProperty('cacheReadTokens');
    });

    it('returns input_tokens_details.cached_tokens on the Responses API, streamed and not', async () => {
      t.openai.script({ text: 'ok', usage: { input: 5000, output: 7, cacheRead: 4096 } });
      const { data, response } = await client.responses
        .create({ model: 'gpt-4o-mini', input: LONG, max_output_tokens: 32 })
        .withResponse();
      expect(data.usage).toMatchObject({ input_tokens: 5000, input_tokens_details: { cached_tokens: 4096 } });
      const event = await completed(response.headers.get('x-proofpane-request-id'));
      expect(event.data).toMatchObject({ cacheReadTokens: 4096, costMicros: costOf(5000, 4096, 7) });

      t.openai.script({ text: 'streamed', usage: { input: 3000, output: 4, cacheRead: 2048 } });
      const stream = await client.responses.create({
        model: 'gpt-4o-mini',
        input: LONG,
        max_output_tokens: 32,
        stream: true,
      });
      let cached: number | undefined;
      for await (const e of stream)
        if (e.type === 'response.completed') cached = e.response.usage?.input_tokens_details.cached_tokens;
      expect(cached).toBe(2048);
    });
  });
}
