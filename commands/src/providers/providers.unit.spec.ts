import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../testing/collect-stream.js';
import {
  backoffMs,
  classifyError,
  createProviderRegistry,
  DEFAULT_RETRY,
  demoComplete,
  ProviderNotConfiguredError,
  providerBaseURLsFromEnv,
  providerConfigFromEnv,
  sanitiseGeminiSchema,
} from './index.js';

describe('sanitiseGeminiSchema', () => {
  it('drops unsupported keywords at every depth and lists them', () => {
    const result = sanitiseGeminiSchema({
      schema: {
        $schema: 'x',
        type: 'object',
        additionalProperties: false,
        properties: {
          // A property may be called like a keyword: its name must survive.
          pattern: { type: 'string', pattern: '^a', examples: ['a'] },
          tags: { type: 'array', items: { type: 'string', maxLength: 3 }, uniqueItems: true },
          choice: { oneOf: [{ type: 'string' }, { type: 'number', minimum: 0 }] },
        },
        required: ['pattern'],
      },
    });
    expect(result.schema).toEqual({
      type: 'object',
      properties: {
        pattern: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        choice: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
      required: ['pattern'],
    });
    expect(result.removedKeywords).toEqual([
      '$schema',
      'additionalProperties',
      'examples',
      'maxLength',
      'minimum',
      'oneOf',
      'pattern',
      'uniqueItems',
    ]);
    expect(result.removedPaths).toContain('properties.tags.items.maxLength');
  });
});

describe('retry helpers', () => {
  const apiError = (statusCode: number, headers: Record<string, string> = {}) =>
    new APICallError({
      message: 'x',
      url: 'http://x',
      requestBodyValues: {},
      statusCode,
      responseHeaders: headers,
    });

  it('classifies upstream failures', () => {
    expect(classifyError(apiError(429, { 'retry-after': '2' }))).toEqual({
      status: 429,
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(classifyError(apiError(503))).toMatchObject({ kind: 'server_error', retryable: true });
    expect(classifyError(apiError(400))).toMatchObject({ kind: 'client_error', retryable: false });
    expect(classifyError(new DOMException('t', 'TimeoutError'))).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    expect(classifyError(Object.assign(new Error('x'), { cause: { code: 'ECONNRESET' } }))).toMatchObject({
      kind: 'network',
    });
    expect(classifyError(new Error('boom'))).toMatchObject({ retryable: false });
  });

  it('backs off exponentially with jitter, capped, honouring Retry-After', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs({ policy, attempt: 1, random: () => 1 })).toBe(100);
    expect(backoffMs({ policy, attempt: 3, random: () => 1 })).toBe(400);
    expect(backoffMs({ policy, attempt: 3, random: () => 0.5 })).toBe(200);
    expect(backoffMs({ policy, attempt: 10, random: () => 1 })).toBe(1000);
    expect(backoffMs({ policy, attempt: 1, random: () => 0, retryAfterMs: 700 })).toBe(700);
    expect(backoffMs({ policy, attempt: 1, random: () => 0, retryAfterMs: 60_000 })).toBe(1000);
  });
});

describe('providerConfigFromEnv', () => {
  it('reads keys and base URLs, appending API versions where vendor SDKs expect hosts', () => {
    expect(
      providerConfigFromEnv({
        OPENAI_API_KEY: 'o',
        OPENAI_BASE_URL: 'http://h/v1',
        ANTHROPIC_API_KEY: 'a',
        ANTHROPIC_BASE_URL: 'http://h/',
        GEMINI_API_KEY: 'g',
        DEEPSEEK_API_KEY: 'd',
        OPENAI_COMPATIBLE_BASE_URL: 'http://localhost:11434/v1',
      }),
    ).toEqual({
      openai: { apiKey: 'o', baseURL: 'http://h/v1' },
      anthropic: { apiKey: 'a', baseURL: 'http://h/v1' },
      gemini: { apiKey: 'g' },
      deepseek: { apiKey: 'd' },
      'openai-compatible': { apiKey: '', baseURL: 'http://localhost:11434/v1' },
    });
  });

  it('reads base URLs without any key, so an org key alone reaches the configured host', () => {
    const env = {
      GEMINI_BASE_URL: 'http://g',
      DEEPSEEK_BASE_URL: 'http://d',
      ANTHROPIC_BASE_URL: 'http://a/v1',
    };
    expect(providerBaseURLsFromEnv(env)).toEqual({
      gemini: 'http://g/v1beta',
      deepseek: 'http://d',
      anthropic: 'http://a/v1',
    });
    expect(providerConfigFromEnv(env)).toEqual({});
  });
});

describe('demo provider', () => {
  const registry = createProviderRegistry({ config: {} });

  it('answers deterministically, labelled as demo, with usage', async () => {
    const request = {
      provider: 'demo' as const,
      model: 'demo',
      messages: [{ role: 'user' as const, content: 'hello' }],
    };
    const a = await registry.complete(request);
    expect(a).toEqual(demoComplete(request));
    expect(a.text).toMatch(/^\[demo\] .*hello/);
    expect(a.usage.inputTokens).toBeGreaterThan(0);
    expect(a.usage.outputTokens).toBeGreaterThan(0);
  });

  it('calls the offered tool and streams in several chunks', async () => {
    const out = await collectStream(
      registry.stream({
        provider: 'demo',
        model: 'demo',
        messages: [{ role: 'user', content: 'weather in Paris' }],
        tools: [
          {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
      }),
    );
    expect(out.toolCalls).toEqual([
      { id: 'call_demo_1', name: 'get_weather', arguments: '{"city":"weather in Paris"}' },
    ]);
    expect(out.deltas.length).toBeGreaterThan(3);
    expect(out.finish?.finishReason).toBe('tool-calls');
    const text = await collectStream(
      registry.stream({
        provider: 'demo',
        model: 'demo',
        messages: [{ role: 'user', content: 'a longer question here' }],
      }),
    );
    expect(text.deltas.filter((d) => d.type === 'text').length).toBeGreaterThan(2);
  });

  it('refuses a vendor without credentials', async () => {
    await expect(
      registry.complete({ provider: 'openai', model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(ProviderNotConfiguredError);
  });
});
