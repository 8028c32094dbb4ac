import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const TEXT = 'The answer is forty two.';

for (const driver of testDrivers) {
  describe(`logprobs and top_logprobs through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    const refusal = async (body: Record<string, unknown>) => {
      const error = await client.chat.completions
        .create({ max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], ...body } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      return error as InstanceType<typeof OpenAI.BadRequestError>;
    };
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it("sends logprobs and top_logprobs to OpenAI and returns the vendor's log probabilities", async () => {
      t.openai.script({ text: TEXT });
      const data = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 20,
        logprobs: true,
        top_logprobs: 2,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(t.openai.requests.at(-1)!.body).toMatchObject({ logprobs: true, top_logprobs: 2 });
      const content = data.choices[0]!.logprobs!.content!;
      expect(content.map((c) => c.token).join('')).toBe(TEXT);
      // The SDK model keeps token and logprob only; `bytes` is null, as OpenAI's type allows.
      expect(content[0]).toMatchObject({ token: 'The', logprob: -0.01, bytes: null });
      expect(content[0]!.top_logprobs.map((a) => a.token)).toEqual(['The', 'The~1']);
    });

    it('asks for no alternatives with logprobs alone, and returns none when not asked', async () => {
      t.openai.script({ text: TEXT });
      const asked = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 20,
        logprobs: true,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(t.openai.requests.at(-1)!.body).toMatchObject({ logprobs: true, top_logprobs: 0 });
      expect(asked.choices[0]!.logprobs!.content![0]!.top_logprobs).toEqual([]);

      t.openai.script({ text: TEXT });
      const plain = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(t.openai.requests.at(-1)!.body).not.toHaveProperty('logprobs');
      expect(plain.choices[0]!.logprobs).toBeNull();
    });

    it('returns the log probabilities of a stream, which the SDK assembles', async () => {
      t.openai.script({ text: TEXT, chunks: 4 });
      const stream = client.chat.completions.stream({
        model: 'gpt-4o-mini',
        max_tokens: 20,
        logprobs: true,
        top_logprobs: 1,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const final = await stream.finalChatCompletion();
      expect(final.choices[0]!.message.content).toBe(TEXT);
      const content = final.choices[0]!.logprobs!.content!;
      expect(content.map((c) => c.token).join('')).toBe(TEXT);
      expect(content.every((c) => c.top_logprobs.length === 1)).toBe(true);
    });

    it('refuses by name where logprobs cannot be honoured, before any vendor sees the call', async () => {
      const before = [t.openai.requests.length, t.anthropic.requests.length];
      const claude = await refusal({ model: 'claude-haiku-4-5', logprobs: true });
      expect(claude).toBeInstanceOf(OpenAI.BadRequestError);
      expect(claude.message).toContain('provider "anthropic" cannot honour "logprobs"');
      // OpenAI's reasoning models drop logprobs in the SDK model: refused instead of dropped.
      const reasoning = await refusal({ model: 'o3', logprobs: true });
      expect(reasoning.message).toContain('provider "openai" cannot honour "logprobs"');
      const lonely = await refusal({ model: 'gpt-4o-mini', top_logprobs: 3 });
      expect(lonely.message).toContain('"top_logprobs (without logprobs: true)"');
      const demo = await refusal({ model: 'demo', logprobs: true });
      expect(demo.message).toContain('provider "demo" cannot honour "logprobs"');
      expect([t.openai.requests.length, t.anthropic.requests.length]).toEqual(before);
    });
  });
}
