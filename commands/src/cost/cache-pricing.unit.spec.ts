import { describe, expect, it } from 'vitest';
import { costMicros, inputRateBound, parseLiteLlmPrices, priceFor, worstCaseMicros } from './index.js';

// claude-sonnet-4-5: $3 in, $15 out; writes $3.75 (5 min) and $6 (1 h), reads $0.30 per million tokens.
const sonnet = priceFor({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' })!;

describe('prompt-cache prices', () => {
  it('lists Anthropic’s cache rates in the bundled table: 1.25× and 2× input to write, 0.1× to read', () => {
    for (const model of ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1']) {
      const p = priceFor({ provider: 'anthropic', model })!;
      expect(p.cacheWrite5mMicrosPerMTok).toBe(p.inputMicrosPerMTok * 1.25);
      expect(p.cacheWrite1hMicrosPerMTok).toBe(p.inputMicrosPerMTok * 2);
      expect(p.cacheReadMicrosPerMTok).toBe(p.inputMicrosPerMTok / 10);
    }
    // OpenAI bills cached input at its own read rate and has no write surcharge.
    const gpt4o = priceFor({ provider: 'openai', model: 'gpt-4o' })!;
    expect(gpt4o.cacheReadMicrosPerMTok).toBe(gpt4o.inputMicrosPerMTok / 2);
    expect(gpt4o).not.toHaveProperty('cacheWrite5mMicrosPerMTok');
    expect(priceFor({ provider: 'openai', model: 'gpt-4-turbo' })).not.toHaveProperty(
      'cacheReadMicrosPerMTok',
    );
  });

  it('charges cached input at its own rates', () => {
    // 100 plain × 3 + 600 read × 0.3 + 200 written for 5 min × 3.75 + 100 for 1 h × 6 + 50 out × 15.
    expect(
      costMicros({
        inputTokens: 1_000,
        outputTokens: 50,
        cacheReadTokens: 600,
        cacheWriteTokens: 300,
        cacheWrite1hTokens: 100,
        price: sonnet,
      }),
    ).toBe(300 + 180 + 750 + 600 + 750);
    expect(
      costMicros({ inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000, price: sonnet }),
    ).toBe(300_000);
  });

  it('charges cached input as plain input when the price lists no cache rate', () => {
    const plain = { inputMicrosPerMTok: 2_000_000, outputMicrosPerMTok: 8_000_000 };
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 0,
      cacheReadTokens: 400_000,
      cacheWriteTokens: 600_000,
    };
    expect(costMicros({ ...usage, price: plain })).toBe(2_000_000);
    // A one-hour write without its own rate costs a five-minute one.
    const fiveOnly = { ...plain, cacheWrite5mMicrosPerMTok: 2_500_000 };
    expect(
      costMicros({
        inputTokens: 100,
        outputTokens: 0,
        cacheWriteTokens: 100,
        cacheWrite1hTokens: 100,
        price: fiveOnly,
      }),
    ).toBe(Math.ceil((100 * 2_500_000) / 1_000_000));
  });

  it('never counts more cached tokens than input tokens', () => {
    expect(
      costMicros({
        inputTokens: 10,
        outputTokens: 0,
        cacheWriteTokens: 1_000_000,
        cacheWrite1hTokens: 1_000_000,
        price: sonnet,
      }),
    ).toBe(Math.ceil((10 * 6_000_000) / 1_000_000));
  });
});

describe('the reservation with caching', () => {
  it('prices the input bound at the dearest rate the request allows', () => {
    expect(inputRateBound(sonnet, undefined)).toBe(3_000_000);
    expect(inputRateBound(sonnet, '5m')).toBe(3_750_000);
    expect(inputRateBound(sonnet, '1h')).toBe(6_000_000);
    const reserve = (cacheTtl?: '5m' | '1h') =>
      worstCaseMicros({ inputTokenBound: 10_000, maxTokens: 1_000, price: sonnet, cacheTtl });
    expect(reserve()).toBe(30_000 + 15_000);
    expect(reserve('5m')).toBe(37_500 + 15_000);
    expect(reserve('1h')).toBe(60_000 + 15_000);
  });

  it('still covers the dearest use of the bound the vendor can bill', () => {
    const bound = 10_000;
    const reserved = worstCaseMicros({
      inputTokenBound: bound,
      maxTokens: 100,
      price: sonnet,
      cacheTtl: '1h',
    });
    for (const usage of [
      { cacheWriteTokens: bound, cacheWrite1hTokens: bound },
      { cacheWriteTokens: bound },
      { cacheReadTokens: bound },
      {},
    ])
      expect(
        costMicros({ inputTokens: bound, outputTokens: 100, ...usage, price: sonnet }),
      ).toBeLessThanOrEqual(reserved);
  });
});

describe('LiteLLM cache rates', () => {
  it('keeps the cache rates a row lists', () => {
    const table = parseLiteLlmPrices(
      JSON.stringify({
        'claude-sonnet-4-5': {
          litellm_provider: 'anthropic',
          mode: 'chat',
          input_cost_per_token: 3e-6,
          output_cost_per_token: 1.5e-5,
          cache_creation_input_token_cost: 3.75e-6,
          cache_creation_input_token_cost_above_1hr: 6e-6,
          cache_read_input_token_cost: 3e-7,
        },
        'gpt-4o': {
          litellm_provider: 'openai',
          mode: 'chat',
          input_cost_per_token: 2.5e-6,
          output_cost_per_token: 1e-5,
          cache_read_input_token_cost: 1.25e-6,
        },
      }),
    );
    expect(table.models).toEqual({
      'anthropic/claude-sonnet-4-5': {
        inputMicrosPerMTok: 3_000_000,
        outputMicrosPerMTok: 15_000_000,
        cacheWrite5mMicrosPerMTok: 3_750_000,
        cacheWrite1hMicrosPerMTok: 6_000_000,
        cacheReadMicrosPerMTok: 300_000,
      },
      'openai/gpt-4o': {
        inputMicrosPerMTok: 2_500_000,
        outputMicrosPerMTok: 10_000_000,
        cacheReadMicrosPerMTok: 1_250_000,
      },
    });
  });
});
