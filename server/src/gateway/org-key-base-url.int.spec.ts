import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeVendor,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
} from '../../../commands/src/testing/index.js';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const ORG_KEYS = {
  openai: 'sk-org-openai-only-2f8d',
  anthropic: 'sk-ant-org-only-91ce',
  gemini: 'gemini-org-only-4a07',
  deepseek: 'sk-deepseek-org-only-6b13',
};

for (const driver of testDrivers) {
  describe(`an org's own key with no platform key follows the *_BASE_URL settings, on ${driver}`, () => {
    let t: GatewayTestApp;
    let gemini: FakeVendor;
    let deepseek: FakeVendor;
    let openai: OpenAI;
    beforeAll(async () => {
      gemini = await startFakeGemini();
      deepseek = await startFakeOpenAI();
      t = await createGatewayTestApp({
        driver,
        openai: await startFakeOpenAI(),
        anthropic: await startFakeAnthropic(),
        // No platform key for any vendor: only the base URLs are set.
        env: {
          OPENAI_API_KEY: '',
          ANTHROPIC_API_KEY: '',
          GEMINI_BASE_URL: gemini.url,
          DEEPSEEK_BASE_URL: deepseek.url,
        },
      });
      for (const [provider, apiKey] of Object.entries(ORG_KEYS)) {
        const put = await t.app.inject({
          method: 'PUT',
          url: `/api/provider-keys/${provider}`,
          headers: auth(t.key),
          payload: { apiKey },
        });
        expect(put.statusCode).toBe(200);
      }
      openai = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(async () => {
      await t.close();
      await Promise.all([gemini.close(), deepseek.close()]);
    });

    it('OpenAI: the call reaches the fake vendor with the org key', async () => {
      const before = t.openai.requests.length;
      const answer = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.choices[0]?.message.content).toBeTruthy();
      expect(t.openai.requests).toHaveLength(before + 1);
      expect(t.openai.requests.at(-1)!.headers.authorization).toBe(`Bearer ${ORG_KEYS.openai}`);
    });

    it('Anthropic: the call reaches the fake vendor with the org key', async () => {
      const before = t.anthropic.requests.length;
      const client = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
      const answer = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.content[0]?.type).toBe('text');
      expect(t.anthropic.requests).toHaveLength(before + 1);
      expect(t.anthropic.requests.at(-1)!.headers['x-api-key']).toBe(ORG_KEYS.anthropic);
    });

    it('Gemini: the call reaches the fake vendor with the org key', async () => {
      const answer = await openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.choices[0]?.message.content).toBeTruthy();
      expect(gemini.requests).toHaveLength(1);
      expect(gemini.requests[0]!.headers['x-goog-api-key']).toBe(ORG_KEYS.gemini);
    });

    it('DeepSeek: the call reaches the fake vendor with the org key', async () => {
      const answer = await openai.chat.completions.create({
        model: 'deepseek-chat',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.choices[0]?.message.content).toBeTruthy();
      expect(deepseek.requests).toHaveLength(1);
      expect(deepseek.requests[0]!.headers.authorization).toBe(`Bearer ${ORG_KEYS.deepseek}`);
    });
  });
}
