import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeVector } from '../../../commands/src/testing/fake-vendors/embeddings.js';
import {
  type FakeVendor,
  type RecordedRequest,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
} from '../../../commands/src/testing/index.js';
import { auth } from '../identity/testing/identity-test-app.js';
import {
  createGatewayTestApp,
  type GatewayTestApp,
  PLATFORM_OPENAI_KEY,
} from './testing/gateway-test-app.js';

type ApiError = InstanceType<typeof OpenAI.APIError>;

for (const driver of testDrivers) {
  describe(`POST /v1/embeddings through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let gemini: FakeVendor;
    let client: OpenAI;
    const subject = (id: string | null | undefined) =>
      t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
    beforeAll(async () => {
      gemini = await startFakeGemini();
      t = await createGatewayTestApp({
        driver,
        openai: await startFakeOpenAI(),
        anthropic: await startFakeAnthropic(),
        env: { GEMINI_API_KEY: 'gemini-platform-test-key', GEMINI_BASE_URL: gemini.url },
      });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(async () => {
      await t.close();
      await gemini.close();
    });

    it('embeds the masked inputs upstream, answers base64 the SDK decodes, and audits and prices the call', async () => {
      t.openai.script({ usage: { input: 60, output: 0 } });
      const inputs = ['Invoice for jane.doe@example.com, March order', 'A second, unrelated sentence here'];
      // The SDK asks for base64 when no encoding is given and decodes it to floats.
      const { data, response } = await client.embeddings
        .create({ model: 'text-embedding-3-small', input: inputs })
        .withResponse();
      // The fakes record the path too; the harness's Upstream type leaves it out.
      const upstream = t.openai.requests.at(-1)! as RecordedRequest;
      expect(upstream.path).toBe('/v1/embeddings');
      expect(upstream.headers.authorization).toBe(`Bearer ${PLATFORM_OPENAI_KEY}`);
      const sent = upstream.body.input as string[];
      expect(sent).toEqual(['Invoice for [EMAIL_1], March order', inputs[1]]);
      expect(data.object).toBe('list');
      expect(data.model).toBe('text-embedding-3-small');
      expect(data.usage).toEqual({ prompt_tokens: 60, total_tokens: 60 });
      expect(data.data.map((d) => d.index)).toEqual([0, 1]);
      data.data.forEach((d, i) => {
        const expected = fakeVector(sent[i]!);
        expect(d.embedding).toHaveLength(expected.length);
        for (const [j, x] of d.embedding.entries()) expect(x).toBeCloseTo(expected[j]!, 6);
      });

      const id = response.headers.get('x-proofpane-request-id');
      expect(id).toMatch(/^req_/);
      const events = await subject(id);
      expect(events.map((e) => e.type)).toEqual([
        'cp.gate.policy.decided',
        'cp.gate.budget.reserved',
        'cp.llm.call.completed',
        'cp.gate.budget.settled',
      ]);
      expect(events[0]!.data).toMatchObject({ route: 'openai.embeddings', dlp: { EMAIL: 1 } });
      // 60 tokens at $0.02 per million tokens (1.2 µUSD), rounded up to the micro-dollar.
      expect(events[2]!.data).toMatchObject({
        provider: 'openai',
        model: 'text-embedding-3-small',
        route: 'openai.embeddings',
        inputTokens: 60,
        outputTokens: 0,
        costMicros: 2,
        demo: false,
      });
      expect(events[3]!.data).toMatchObject({ actualMicros: 2 });
      expect(JSON.stringify(events)).not.toContain('jane.doe');

      const cost = await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(t.key) });
      expect(cost.json().spentUsd).toBeGreaterThan(0);
    });

    it('passes dimensions and user through and answers floats when asked for them', async () => {
      const res = await client.embeddings.create({
        model: 'text-embedding-3-large',
        input: 'short text',
        dimensions: 5,
        encoding_format: 'float',
        user: 'end-user-42',
      });
      expect(t.openai.requests.at(-1)!.body).toMatchObject({
        dimensions: 5,
        user: 'end-user-42',
        input: ['short text'],
      });
      expect(res.data[0]!.embedding).toEqual(fakeVector('short text', 5));
    });

    it('refuses user for Gemini by name, before any upstream call', async () => {
      const before = gemini.requests.length;
      const error = (await client.embeddings
        .create({ model: 'gemini-embedding-001', input: 'alpha', user: 'end-user-42' })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.status).toBe(400);
      expect(error.message).toContain('provider "gemini" cannot honour "user"');
      expect(gemini.requests.length).toBe(before);
    });

    it('reaches Gemini, which reports no usage, and prices the estimate', async () => {
      const { data, response } = await client.embeddings
        .create({
          model: 'gemini-embedding-001',
          input: ['alpha beta gamma', 'delta'],
          encoding_format: 'float',
        })
        .withResponse();
      const upstream = gemini.requests.at(-1)!;
      expect(upstream.path).toContain('/models/gemini-embedding-001:batchEmbedContents');
      expect(data.data[1]!.embedding).toEqual(fakeVector('delta'));
      // One token per four UTF-8 bytes of each input, rounded up: 4 + 2.
      expect(data.usage.prompt_tokens).toBe(6);
      const completed = (await subject(response.headers.get('x-proofpane-request-id'))).find(
        (e) => e.type === 'cp.llm.call.completed',
      );
      expect(completed?.data).toMatchObject({ provider: 'gemini', inputTokens: 6, costMicros: 1 });
    });

    it('serves the demo provider offline with deterministic vectors, in a run', async () => {
      const before = t.openai.requests.length + gemini.requests.length;
      const inRun = new OpenAI({
        apiKey: t.key,
        baseURL: `${t.url}/v1`,
        maxRetries: 0,
        defaultHeaders: { 'x-proofpane-run-id': 'embed-run' },
      });
      const { data, response } = await inRun.embeddings
        .create({ model: 'demo', input: ['same', 'other', 'same'] })
        .withResponse();
      expect(t.openai.requests.length + gemini.requests.length).toBe(before);
      const [a, b, c] = data.data.map((d) => d.embedding);
      expect(a).toHaveLength(16);
      expect(a).toEqual(c);
      expect(a).not.toEqual(b);
      expect(Math.hypot(...a!)).toBeCloseTo(1, 4);
      const events = await subject(response.headers.get('x-proofpane-request-id'));
      expect(events.find((e) => e.type === 'cp.llm.call.completed')?.data).toMatchObject({
        provider: 'demo',
        demo: true,
        route: 'openai.embeddings',
      });
      for (const e of events) expect(e.meta).toMatchObject({ runId: 'embed-run' });
    });

    it('refuses a provider without embeddings and a body of token ids, in the OpenAI shape, audited', async () => {
      const claude = (await client.embeddings
        .create({ model: 'claude-haiku-4-5', input: 'x' })
        .catch((e: unknown) => e)) as ApiError;
      expect(claude.status).toBe(400);
      expect(claude.code).toBe('invalid_request');
      expect(claude.message).toContain('offers no embeddings');
      const failed = await subject(claude.headers?.get('x-proofpane-request-id'));
      expect(failed.map((e) => e.type)).toEqual(['cp.llm.call.failed']);

      const tokens = (await client.embeddings
        .create({ model: 'text-embedding-3-small', input: [[1, 2, 3]] })
        .catch((e: unknown) => e)) as ApiError;
      expect(tokens.status).toBe(400);
      expect(tokens.code).toBe('invalid_request');
    });

    it('refuses a model the policy blocks with policy_blocked (403) before any upstream call', async () => {
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(t.key),
        payload: { models: ['text-embedding-3-small', 'demo'] },
      });
      expect(put.statusCode).toBe(200);
      const before = t.openai.requests.length;
      const error = (await client.embeddings
        .create({ model: 'text-embedding-3-large', input: 'x' })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.status).toBe(403);
      expect(error.code).toBe('policy_blocked');
      expect(error.type).toBe('permission_error');
      expect(t.openai.requests.length).toBe(before);
      const id = error.headers?.get('x-proofpane-request-id');
      expect(id).toMatch(/^req_/);
      expect((error.error as { request_id?: string }).request_id).toBe(id);
      const [decided] = await subject(id);
      expect(decided?.data).toMatchObject({ decision: 'block', route: 'openai.embeddings' });
    });
  });
}
