import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import type { ResponseOutputText } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const TEXT = 'The answer is forty two.';
const INCLUDE = 'message.output_text.logprobs' as const;

const textPart = (response: OpenAI.Responses.Response) => {
  const item = response.output.find((o) => o.type === 'message');
  if (item?.type !== 'message') throw new Error('no message item');
  return item.content[0] as ResponseOutputText;
};

for (const driver of testDrivers) {
  describe(`/v1/responses log probabilities through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('carries include and top_logprobs to OpenAI and returns them on the output_text part', async () => {
      t.openai.script({ text: TEXT });
      const response = await client.responses.create({
        model: 'gpt-4o-mini',
        input: 'hi',
        max_output_tokens: 20,
        include: [INCLUDE],
        top_logprobs: 2,
      });
      expect(t.openai.requests.at(-1)!.body).toMatchObject({ logprobs: true, top_logprobs: 2 });
      const part = textPart(response);
      expect(part.text).toBe(TEXT);
      expect(part.logprobs!.map((l) => l.token).join('')).toBe(TEXT);
      expect(part.logprobs![0]).toMatchObject({ token: 'The', logprob: -0.01 });
      expect(part.logprobs![0]!.top_logprobs.map((a) => a.token)).toEqual(['The', 'The~1']);
    });

    it('asks for none when not included, and returns an empty list', async () => {
      t.openai.script({ text: TEXT });
      const response = await client.responses.create({
        model: 'gpt-4o-mini',
        input: 'hi',
        max_output_tokens: 20,
      });
      expect(t.openai.requests.at(-1)!.body).not.toHaveProperty('logprobs');
      expect(textPart(response).logprobs).toEqual([]);
    });

    it('returns them at the end of a stream: on output_text.done and the completed response', async () => {
      t.openai.script({ text: TEXT, chunks: 4 });
      const stream = client.responses.stream({
        model: 'gpt-4o-mini',
        input: 'hi',
        max_output_tokens: 20,
        include: [INCLUDE],
        top_logprobs: 1,
      });
      const done: OpenAI.Responses.ResponseTextDoneEvent[] = [];
      stream.on('response.output_text.done', (e) => done.push(e));
      const final = await stream.finalResponse();
      expect(t.openai.requests.at(-1)!.body).toMatchObject({ logprobs: true, top_logprobs: 1 });
      expect(final.output_text).toBe(TEXT);
      const logprobs = textPart(final).logprobs!;
      expect(logprobs.map((l) => l.token).join('')).toBe(TEXT);
      expect(logprobs.every((l) => l.top_logprobs.length === 1)).toBe(true);
      expect(done).toHaveLength(1);
      expect(done[0]!.logprobs.map((l) => l.token).join('')).toBe(TEXT);
    });

    it('refuses by name where they cannot be honoured, before any vendor sees the call', async () => {
      const before = [t.openai.requests.length, t.anthropic.requests.length];
      const refused = async (body: Record<string, unknown>) => {
        const error = await client.responses
          .create({ input: 'hi', max_output_tokens: 20, ...body } as never)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        const e = error as InstanceType<typeof OpenAI.BadRequestError>;
        expect(e.code).toBe('invalid_request');
        return e.message;
      };
      const anthropic = await refused({ model: 'claude-haiku-4-5', include: [INCLUDE] });
      expect(anthropic).toContain('"include (message.output_text.logprobs)"');
      expect(anthropic).toContain('provider "anthropic"');
      expect(await refused({ model: 'gpt-4o-mini', top_logprobs: 3 })).toContain(
        `"top_logprobs (without include ${INCLUDE})"`,
      );
      expect(await refused({ model: 'gpt-4o-mini', include: ['reasoning.encrypted_content'] })).toContain(
        '"include (reasoning.encrypted_content)"',
      );
      expect([t.openai.requests.length, t.anthropic.requests.length]).toEqual(before);
    });
  });
}
