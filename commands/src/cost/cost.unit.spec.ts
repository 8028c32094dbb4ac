import { describe, expect, it } from 'vitest';
import {
  BUNDLED_PRICES,
  checkCostAnomaly,
  costMicros,
  forecastMonthEnd,
  inputTokenBound,
  parseLiteLlmPrices,
  priceFor,
  worstCaseMicros,
} from './index.js';

describe('prices', () => {
  it('resolves exact, dated and tagged model names', () => {
    expect(priceFor({ provider: 'openai', model: 'gpt-4o' })).toMatchObject({
      key: 'openai/gpt-4o',
      inputMicrosPerMTok: 2_500_000,
      outputMicrosPerMTok: 10_000_000,
      version: BUNDLED_PRICES.version,
    });
    expect(priceFor({ provider: 'openai', model: 'gpt-4o-2024-08-06' })?.key).toBe('openai/gpt-4o');
    expect(priceFor({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' })?.key).toBe(
      'anthropic/claude-sonnet-4',
    );
    expect(priceFor({ provider: 'gemini', model: 'models/gemini-2.5-flash' })?.key).toBe(
      'gemini/gemini-2.5-flash',
    );
    expect(priceFor({ provider: 'openai-compatible', model: 'llama-3' })).toBeNull();
  });

  it('prices the demo provider above zero', () => {
    const demo = priceFor({ provider: 'demo', model: 'demo' })!;
    expect(costMicros({ inputTokens: 1000, outputTokens: 1000, price: demo })).toBeGreaterThan(0);
  });
});

describe('cost arithmetic', () => {
  const price = { inputMicrosPerMTok: 2_500_000, outputMicrosPerMTok: 10_000_000 };

  it('computes integer micro-dollars, rounding up', () => {
    expect(costMicros({ inputTokens: 1_000_000, outputTokens: 0, price })).toBe(2_500_000);
    expect(costMicros({ inputTokens: 1000, outputTokens: 500, price })).toBe(7_500);
    expect(
      costMicros({
        inputTokens: 1,
        outputTokens: 0,
        price: { inputMicrosPerMTok: 150_000, outputMicrosPerMTok: 0 },
      }),
    ).toBe(1);
  });

  it('bounds input tokens by UTF-8 bytes plus framing, and reserves every allowed output token', () => {
    // 6 + 2 bytes (é is two), 8 per message, 16 per request.
    expect(inputTokenBound({ texts: ['abcdef', 'é'] })).toBe(16 + 6 + 8 + 2 + 8);
    expect(inputTokenBound({ texts: ['abcdef'], tools: true })).toBe(16 + 1_000 + 6 + 8);
    // The old estimate (bytes ÷ 3) was below what a tokenizer can emit: one token per byte is reachable.
    expect(inputTokenBound({ texts: ['\u00ff'.repeat(300)] })).toBeGreaterThanOrEqual(600);
    expect(worstCaseMicros({ inputTokenBound: 1000, maxTokens: 1000, price })).toBe(12_500);
  });
});

describe('forecast and anomalies', () => {
  it('projects month-end spend three ways', () => {
    // 10 of 30 days of June elapsed, 100 USD spent, 70 USD in the last 7 days.
    const f = forecastMonthEnd({
      spentMicros: 100_000_000,
      last7DaysMicros: 70_000_000,
      now: new Date('2026-06-11T00:00:00Z'),
    });
    expect(f.linearMicros).toBe(300_000_000);
    expect(f.rolling7dMicros).toBe(300_000_000);
    expect(f.worstCaseMicros).toBe(330_000_000);
  });

  it('flags a call costing more than N times the recent average', () => {
    const recent = [100, 100, 100, 100, 100];
    expect(checkCostAnomaly({ costMicros: 501, recentCostsMicros: recent, floorMicros: 0 }).anomalous).toBe(
      true,
    );
    expect(checkCostAnomaly({ costMicros: 500, recentCostsMicros: recent }).anomalous).toBe(false);
    expect(
      checkCostAnomaly({ costMicros: 301, recentCostsMicros: recent, factor: 3, floorMicros: 0 }).anomalous,
    ).toBe(true);
    expect(checkCostAnomaly({ costMicros: 10_000, recentCostsMicros: [100] }).anomalous).toBe(false);
  });

  it('never flags a call costing less than a cent, however far above the average', () => {
    const recent = [10, 10, 10, 10, 10];
    expect(checkCostAnomaly({ costMicros: 9_999, recentCostsMicros: recent }).anomalous).toBe(false);
    expect(checkCostAnomaly({ costMicros: 10_000, recentCostsMicros: recent }).anomalous).toBe(true);
    expect(checkCostAnomaly({ costMicros: 600, recentCostsMicros: recent, floorMicros: 500 }).anomalous).toBe(
      true,
    );
  });
});

describe('parseLiteLlmPrices', () => {
  it('keeps chat models of our providers and converts per-token USD', () => {
    const table = parseLiteLlmPrices(
      JSON.stringify({
        sample_spec: { litellm_provider: 'openai' },
        'gpt-4o': {
          litellm_provider: 'openai',
          mode: 'chat',
          input_cost_per_token: 2.5e-6,
          output_cost_per_token: 1e-5,
        },
        'gemini/gemini-2.5-pro': {
          litellm_provider: 'gemini',
          mode: 'chat',
          input_cost_per_token: 1.25e-6,
          output_cost_per_token: 1e-5,
        },
        'text-embedding-3-small': {
          litellm_provider: 'openai',
          mode: 'embedding',
          input_cost_per_token: 2e-8,
          output_cost_per_token: 0,
        },
        'bedrock/x': {
          litellm_provider: 'bedrock',
          mode: 'chat',
          input_cost_per_token: 1e-6,
          output_cost_per_token: 1e-6,
        },
      }),
    );
    expect(table.models).toEqual({
      'openai/gpt-4o': { inputMicrosPerMTok: 2_500_000, outputMicrosPerMTok: 10_000_000 },
      'gemini/gemini-2.5-pro': { inputMicrosPerMTok: 1_250_000, outputMicrosPerMTok: 10_000_000 },
    });
    expect(table.version).toMatch(/^litellm-[0-9a-f]{12}$/);
  });

  it('rejects documents without usable prices', () => {
    expect(() => parseLiteLlmPrices('[]')).toThrow();
    expect(() => parseLiteLlmPrices('{"a": {"litellm_provider": "openai"}}')).toThrow(/no usable/);
  });
});
