import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

// Long enough that the reported input stays within the gateway's input bound (one token per byte).
const LONG = 'cache me '.repeat(700);

for (const driver of testDrivers) {
  describe(`org prices with prompt-cache rates on ${driver}`, () => {
    let t: GatewayTestApp;
    let openai: OpenAI;
    let anthropic: Anthropic;
    const putPrices = (payload: unknown) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/budget/prices',
        headers: auth(t.key),
        payload: payload as object,
      });
    const completed = async (id: string | null | undefined) =>
      (await t.events(t.account.org, 'cp.llm.call.completed')).find((e) => e.subject === `call/${id}`)!.data;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      openai = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      anthropic = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('stores cache rates, shows them back, and records them on cp.budget.prices.set', async () => {
      const res = await putPrices({
        models: {
          'openai/gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, cacheReadUsdPerMTok: 0.25 },
          'anthropic/claude-haiku-4-5': {
            inputUsdPerMTok: 1,
            outputUsdPerMTok: 5,
            cacheReadUsdPerMTok: 0.5,
            cacheWrite5mUsdPerMTok: 3,
            cacheWrite1hUsdPerMTok: 4,
          },
        },
        defaultPrice: { inputUsdPerMTok: 2, outputUsdPerMTok: 2 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().prices.models['openai/gpt-4o-mini']).toEqual({
        inputUsdPerMTok: 1,
        outputUsdPerMTok: 2,
        cacheReadUsdPerMTok: 0.25,
      });
      expect(res.json().prices.defaultPrice).toEqual({ inputUsdPerMTok: 2, outputUsdPerMTok: 2 });
      const set = (await t.events(t.account.org, 'cp.budget.prices.set')).at(-1)!.data as {
        models: Record<string, unknown>;
      };
      expect(set.models['anthropic/claude-haiku-4-5']).toEqual({
        inputMicrosPerMTok: 1_000_000,
        outputMicrosPerMTok: 5_000_000,
        cacheReadMicrosPerMTok: 500_000,
        cacheWrite5mMicrosPerMTok: 3_000_000,
        cacheWrite1hMicrosPerMTok: 4_000_000,
      });
    });

    it('refuses malformed cache rates at the edge', async () => {
      const negative = await putPrices({
        models: {
          'openai/gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, cacheReadUsdPerMTok: -1 },
        },
      });
      expect(negative.statusCode).toBe(400);
      const hourBelowFive = await putPrices({
        models: {
          'anthropic/claude-haiku-4-5': {
            inputUsdPerMTok: 1,
            outputUsdPerMTok: 5,
            cacheWrite5mUsdPerMTok: 3,
            cacheWrite1hUsdPerMTok: 2,
          },
        },
      });
      expect(hourBelowFive.statusCode).toBe(400);
      expect(hourBelowFive.body).toContain('cacheWrite1hUsdPerMTok');
      const unknownRate = await putPrices({
        models: { 'openai/gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, cacheUsd: 1 } },
      });
      expect(unknownRate.statusCode).toBe(400);
    });

    it("prices OpenAI cached tokens at the org's read rate and Anthropic cache writes at its write rates", async () => {
      await putPrices({
        models: {
          'openai/gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, cacheReadUsdPerMTok: 0.25 },
          'anthropic/claude-haiku-4-5': {
            inputUsdPerMTok: 1,
            outputUsdPerMTok: 5,
            cacheReadUsdPerMTok: 0.5,
            cacheWrite5mUsdPerMTok: 3,
            cacheWrite1hUsdPerMTok: 4,
          },
        },
      });
      t.openai.script({ text: 'ok', usage: { input: 4000, output: 100, cacheRead: 2000 } });
      const chat = await openai.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: LONG }] })
        .withResponse();
      // 2,000 plain at $1, 2,000 cached at $0.25, 100 out at $2 per million tokens.
      expect(await completed(chat.response.headers.get('x-proofpane-request-id'))).toMatchObject({
        cacheReadTokens: 2000,
        costMicros: 2000 + 500 + 200,
        priceVersion: 'org',
      });

      t.anthropic.script({
        text: 'ok',
        usage: { input: 100, output: 10, cacheRead: 1000, cacheWrite5m: 1000, cacheWrite1h: 1000 },
      });
      const message = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 200,
        system: [{ type: 'text', text: LONG, cache_control: { type: 'ephemeral', ttl: '1h' } }],
        messages: [{ role: 'user', content: 'hi' }],
      });
      // 100 plain at $1, 1,000 read at $0.50, 1,000 5-minute writes at $3, 1,000 hour writes at $4, 10 out at $5.
      expect(await completed(message._request_id)).toMatchObject({
        cacheReadTokens: 1000,
        cacheWriteTokens: 2000,
        costMicros: 100 + 500 + 3000 + 4000 + 50,
      });
      // The reservation prices the whole input bound at the dearest rate the request allows: an hour's write.
      const reserved = (await t.events(t.account.org, 'cp.gate.budget.reserved')).find(
        (e) => e.subject === `call/${message._request_id}`,
      )!.data as { amountMicros: number };
      const settled = (await t.events(t.account.org, 'cp.llm.call.completed')).at(-1)!.data as {
        costMicros: number;
      };
      expect(reserved.amountMicros).toBeGreaterThan(Buffer.byteLength(LONG) * 4);
      expect(reserved.amountMicros).toBeGreaterThanOrEqual(settled.costMicros);
    });
  });
}
