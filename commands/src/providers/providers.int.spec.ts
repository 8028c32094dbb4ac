import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStream } from '../testing/collect-stream.js';
import {
  type FakeVendor,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
} from '../testing/fake-vendors/index.js';
import {
  type AttemptReport,
  type ChatRequest,
  createProviderRegistry,
  ProviderError,
  type ProviderId,
} from './index.js';

type Vendor = {
  provider: Exclude<ProviderId, 'demo'>;
  start: () => Promise<FakeVendor>;
  prefix: string;
  model: string;
};

const VENDORS: Vendor[] = [
  { provider: 'openai', start: () => startFakeOpenAI(), prefix: '/v1', model: 'gpt-4o-mini' },
  { provider: 'anthropic', start: () => startFakeAnthropic(), prefix: '/v1', model: 'claude-sonnet-4-5' },
  { provider: 'gemini', start: () => startFakeGemini(), prefix: '/v1beta', model: 'gemini-2.5-flash' },
  { provider: 'deepseek', start: () => startFakeOpenAI(), prefix: '/v1', model: 'deepseek-chat' },
  { provider: 'openai-compatible', start: () => startFakeOpenAI(), prefix: '/v1', model: 'llama-3.1-8b' },
];

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      city: { type: 'string', pattern: '^[A-Z]' },
      unit: { type: 'string', enum: ['c', 'f'], default: 'c' },
    },
    required: ['city'],
    additionalProperties: false,
  },
};

describe.each(VENDORS)('$provider against its fake wire format', (vendor) => {
  let fake: FakeVendor;
  let attempts: AttemptReport[] = [];
  const registry = () =>
    createProviderRegistry({
      config: { [vendor.provider]: { apiKey: 'test-key', baseURL: `${fake.url}${vendor.prefix}` } },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      onAttempt: (a) => attempts.push(a),
    });
  const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
    provider: vendor.provider,
    model: vendor.model,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Weather in Paris? mail [EMAIL_1]' }],
    maxTokens: 200,
    ...over,
  });

  beforeAll(async () => {
    fake = await vendor.start();
  });
  afterAll(() => fake.close());

  it('completes a plain answer with usage', async () => {
    attempts = [];
    fake.script({ text: 'It is sunny.', usage: { input: 21, output: 4 } });
    const result = await registry().complete(request());
    expect(result).toMatchObject({
      provider: vendor.provider,
      text: 'It is sunny.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 21, outputTokens: 4 },
      attempts: 1,
    });
    expect(JSON.stringify(fake.requests.at(-1)!.body)).toContain('mail [EMAIL_1]');
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, ok: true, willRetry: false })]);
  });

  it('returns tool calls with JSON-string arguments', async () => {
    fake.script({
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }],
    });
    const result = await registry().complete(request({ tools: [WEATHER_TOOL], toolChoice: 'auto' }));
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ name: 'get_weather' });
    expect(JSON.parse(result.toolCalls[0]!.arguments)).toEqual({ city: 'Paris', unit: 'c' });
  });

  it('streams text in several deltas and finishes with usage', async () => {
    fake.script({ text: 'Sunny and mild in Paris today.', chunks: 4, usage: { input: 30, output: 9 } });
    const out = await collectStream(registry().stream(request()));
    expect(out.text).toBe('Sunny and mild in Paris today.');
    expect(out.deltas.filter((d) => d.type === 'text').length).toBeGreaterThan(1);
    expect(out.finish).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 30, outputTokens: 9 },
      attempts: 1,
    });
  });

  it('streams tool calls as indexed deltas that reassemble', async () => {
    fake.script({
      text: 'Checking.',
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_b', name: 'get_weather', arguments: { city: 'Lyon', unit: 'f' } },
      ],
    });
    const out = await collectStream(registry().stream(request({ tools: [WEATHER_TOOL] })));
    expect(out.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Lyon', unit: 'f' }],
    ]);
    const indexes = out.deltas.flatMap((d) => (d.type === 'tool-call-delta' ? [d.index] : []));
    expect(new Set(indexes)).toEqual(new Set([0, 1]));
    expect(out.finish?.finishReason).toBe('tool-calls');
  });

  it('retries 429 and 503 with every attempt reported, then succeeds', async () => {
    attempts = [];
    fake.script({ status: 429 }, { status: 503 }, { text: 'finally' });
    const result = await registry().complete(request());
    expect(result).toMatchObject({ text: 'finally', attempts: 3 });
    expect(attempts.map((a) => [a.attempt, a.ok, a.status, a.willRetry])).toEqual([
      [1, false, 429, true],
      [2, false, 503, true],
      [3, true, undefined, false],
    ]);
  });

  it('retries a stream that fails before its first delta', async () => {
    attempts = [];
    fake.script({ status: 503 }, { text: 'streamed after retry' });
    const out = await collectStream(registry().stream(request()));
    expect(out.text).toBe('streamed after retry');
    expect(out.finish?.attempts).toBe(2);
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);
  });

  it('does not retry a 400 and gives up after the attempt budget', async () => {
    attempts = [];
    fake.script({ status: 400 });
    const error = await registry()
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'provider_error', upstreamStatus: 400, attempts: 1 });
    expect(attempts).toHaveLength(1);

    attempts = [];
    fake.script({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(registry().complete(request())).rejects.toMatchObject({ upstreamStatus: 500, attempts: 3 });
    expect(attempts.map((a) => a.willRetry)).toEqual([true, true, false]);
  });

  it('times out a vendor that does not answer, and retries it as a timeout', async () => {
    attempts = [];
    fake.script({ text: 'too late', delayMs: 500 }, { text: 'in time' });
    const slow = createProviderRegistry({
      config: { [vendor.provider]: { apiKey: 'test-key', baseURL: `${fake.url}${vendor.prefix}` } },
      retry: { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 100 },
      onAttempt: (a) => attempts.push(a),
    });
    await expect(slow.complete(request())).resolves.toMatchObject({ text: 'in time', attempts: 2 });
    expect(attempts.map((a) => [a.ok, a.errorKind])).toEqual([
      [false, 'timeout'],
      [true, undefined],
    ]);
  });
});

describe('an unreachable vendor', () => {
  it('is a network failure, retried, then a provider error', async () => {
    const attempts: AttemptReport[] = [];
    const closed = await startFakeOpenAI();
    const url = closed.url;
    await closed.close();
    const registry = createProviderRegistry({
      config: { openai: { apiKey: 'test-key', baseURL: `${url}/v1` } },
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 2 },
      onAttempt: (a) => attempts.push(a),
    });
    const request: ChatRequest = {
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
    };
    await expect(registry.complete(request)).rejects.toMatchObject({ kind: 'network', attempts: 2 });
    await expect(collectStream(registry.stream(request))).rejects.toMatchObject({ kind: 'network' });
    expect(attempts.map((a) => [a.ok, a.errorKind, a.willRetry])).toEqual([
      [false, 'network', true],
      [false, 'network', false],
      [false, 'network', true],
      [false, 'network', false],
    ]);
  });
});

describe('gemini tool schemas', () => {
  let fake: FakeVendor;
  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterAll(() => fake.close());

  it('sends only keywords Gemini accepts and reports the removed ones', async () => {
    const registry = createProviderRegistry({
      config: { gemini: { apiKey: 'k', baseURL: `${fake.url}/v1beta` } },
    });
    fake.script({ text: 'ok' });
    const result = await registry.complete({
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [WEATHER_TOOL],
    });
    expect(result.removedSchemaKeywords).toEqual(['$schema', 'additionalProperties', 'default', 'pattern']);
    const sent = JSON.stringify(fake.requests.at(-1)!.body.tools);
    for (const keyword of ['$schema', 'additionalProperties', 'default', 'pattern'])
      expect(sent).not.toContain(`"${keyword}"`);
    expect(sent).toContain('"city"');
    expect(fake.requests.at(-1)!.headers['x-goog-api-key']).toBe('k');
  });
});
