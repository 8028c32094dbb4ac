import { describe, expect, it } from 'vitest';
import { uncarriedFeatures } from './capabilities.js';
import { callOptions } from './model-call.js';
import { reasoningOf } from './reasoning.js';
import type { ChatRequest } from './types.js';
import { anthropicStartUsage, usageOf } from './vendor-usage.js';

const EPHEMERAL = { type: 'ephemeral' } as const;
const claude = (r: Partial<ChatRequest>): ChatRequest => ({
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  messages: [{ role: 'user', content: 'hi' }],
  maxTokens: 16_000,
  ...r,
});

describe('thinking and cache breakpoints reach the Anthropic SDK model where it reads them', () => {
  it('takes the thinking budget off max tokens, since the SDK model adds it back', () => {
    const { options } = callOptions(claude({ thinking: { type: 'enabled', budgetTokens: 10_000 } }));
    expect(options.maxOutputTokens).toBe(6_000);
    expect(options.providerOptions).toEqual({
      anthropic: { thinking: { type: 'enabled', budgetTokens: 10_000 } },
    });
    const adaptive = callOptions(claude({ thinking: { type: 'adaptive', display: 'omitted' } })).options;
    expect(adaptive.maxOutputTokens).toBe(16_000);
    expect(adaptive.providerOptions).toEqual({
      anthropic: { thinking: { type: 'adaptive', display: 'omitted' } },
    });
  });

  it('puts breakpoints on system blocks, parts, messages and tools, and thinking back with its proof', () => {
    const { options } = callOptions(
      claude({
        cacheControl: { type: 'ephemeral', ttl: '1h' },
        messages: [
          { role: 'system', content: 'rules', cacheControl: EPHEMERAL },
          { role: 'system', content: 'date' },
          { role: 'user', content: [{ type: 'text', text: 'go', cacheControl: EPHEMERAL }] },
          {
            role: 'assistant',
            reasoning: [
              { type: 'thinking', text: 'plan', signature: 'sig' },
              { type: 'redacted-thinking', data: 'ENC' },
            ],
            toolCalls: [{ id: 't1', name: 'ls', arguments: '{}' }],
            cacheControl: EPHEMERAL,
          },
          { role: 'tool', toolCallId: 't1', toolName: 'ls', content: 'a', cacheControl: EPHEMERAL },
        ],
        tools: [
          { name: 'ls', parameters: { type: 'object' }, cacheControl: { type: 'ephemeral', ttl: '1h' } },
        ],
      }),
    );
    const cached = (c: object) => ({ anthropic: { cacheControl: c } });
    expect(options.prompt).toEqual([
      { role: 'system', content: 'rules', providerOptions: cached(EPHEMERAL) },
      { role: 'system', content: 'date' },
      { role: 'user', content: [{ type: 'text', text: 'go', providerOptions: cached(EPHEMERAL) }] },
      {
        role: 'assistant',
        providerOptions: cached(EPHEMERAL),
        content: [
          { type: 'reasoning', text: 'plan', providerOptions: { anthropic: { signature: 'sig' } } },
          { type: 'reasoning', text: '', providerOptions: { anthropic: { redactedData: 'ENC' } } },
          { type: 'tool-call', toolCallId: 't1', toolName: 'ls', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 't1',
            toolName: 'ls',
            output: { type: 'text', value: 'a' },
            providerOptions: cached(EPHEMERAL),
          },
        ],
      },
    ]);
    expect(options.tools).toEqual([
      expect.objectContaining({ name: 'ls', providerOptions: cached({ type: 'ephemeral', ttl: '1h' }) }),
    ]);
    expect(options.providerOptions).toEqual({
      anthropic: { cacheControl: { type: 'ephemeral', ttl: '1h' } },
    });
  });
});

describe('what only Anthropic carries, and what its SDK model would rewrite', () => {
  it('refuses thinking, thinking blocks and breakpoints for other providers', () => {
    const thinking = { type: 'enabled', budgetTokens: 2_000 } as const;
    const history: ChatRequest['messages'] = [
      { role: 'user', content: [{ type: 'text', text: 'hi', cacheControl: EPHEMERAL }] },
      { role: 'assistant', content: 'ok', reasoning: [{ type: 'thinking', text: 't', signature: 's' }] },
      { role: 'user', content: 'go on' },
    ];
    for (const provider of ['openai', 'gemini', 'deepseek', 'openai-compatible'] as const)
      expect(uncarriedFeatures({ provider, model: 'm', thinking, messages: history })).toEqual([
        'thinking',
        'thinkingBlocks',
        'cacheControl',
      ]);
    expect(
      uncarriedFeatures({ provider: 'anthropic', model: 'claude-haiku-4-5', thinking, messages: history }),
    ).toEqual([]);
  });

  it('refuses sampling while thinking, but temperature 1 is the default it would send anyway', () => {
    const on = { type: 'enabled', budgetTokens: 2_000 } as const;
    expect(uncarriedFeatures(claude({ thinking: on, temperature: 1 }))).toEqual([]);
    expect(uncarriedFeatures(claude({ thinking: on, temperature: 0.2, topK: 5, topP: 0.9 }))).toEqual([
      'temperature',
      'topP',
      'topK',
    ]);
    expect(uncarriedFeatures(claude({ thinking: { type: 'disabled' }, temperature: 0.2, topK: 5 }))).toEqual(
      [],
    );
  });

  it('refuses a forced tool under budget thinking, which the SDK model would turn into auto', () => {
    const tools = [{ name: 'ls', parameters: { type: 'object' } }];
    const on = { type: 'enabled', budgetTokens: 2_000 } as const;
    expect(uncarriedFeatures(claude({ tools, toolChoice: 'required', thinking: on }))).toEqual([
      'forcedToolChoice',
    ]);
    expect(uncarriedFeatures(claude({ tools, toolChoice: { tool: 'ls' }, thinking: on }))).toEqual([
      'forcedToolChoice',
    ]);
    expect(uncarriedFeatures(claude({ tools, toolChoice: 'auto', thinking: on }))).toEqual([]);
    expect(
      uncarriedFeatures(claude({ tools, toolChoice: 'required', thinking: { type: 'adaptive' } })),
    ).toEqual([]);
  });

  it('mirrors the SDK model’s per-model rewrites', () => {
    expect(
      uncarriedFeatures(
        claude({ model: 'claude-sonnet-5-5', thinking: { type: 'enabled', budgetTokens: 2_000 } }),
      ),
    ).toEqual(['thinking']);
    expect(uncarriedFeatures(claude({ model: 'claude-fable-5', thinking: { type: 'disabled' } }))).toEqual([
      'thinking',
    ]);
    expect(uncarriedFeatures(claude({ model: 'claude-opus-4-7', temperature: 0.5 }))).toEqual([
      'temperature',
    ]);
    expect(uncarriedFeatures(claude({ model: 'claude-opus-4-7', thinking: { type: 'adaptive' } }))).toEqual(
      [],
    );
  });
});

describe('usage and thinking as the SDK model reports them', () => {
  it('keeps cache counts, with the one-hour share from the vendor’s own usage', () => {
    expect(
      usageOf({
        inputTokens: { total: 1_000, noCache: 100, cacheRead: 600, cacheWrite: 300 },
        outputTokens: { total: 50, text: undefined, reasoning: undefined },
        raw: { cache_creation: { ephemeral_1h_input_tokens: 100, ephemeral_5m_input_tokens: 200 } },
      }),
    ).toEqual({
      inputTokens: 1_000,
      outputTokens: 50,
      cacheReadTokens: 600,
      cacheWriteTokens: 300,
      cacheWrite1hTokens: 100,
    });
    expect(
      usageOf({
        inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: undefined },
        outputTokens: { total: 2, text: undefined, reasoning: undefined },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 2 });
  });

  it('reads message_start usage, counting cache reads and writes as input', () => {
    expect(
      anthropicStartUsage({
        type: 'message_start',
        message: {
          usage: {
            input_tokens: 100,
            cache_read_input_tokens: 600,
            cache_creation_input_tokens: 300,
            cache_creation: { ephemeral_1h_input_tokens: 300, ephemeral_5m_input_tokens: 0 },
            output_tokens: 1,
          },
        },
      }),
    ).toEqual({
      inputTokens: 1_000,
      outputTokens: 1,
      cacheReadTokens: 600,
      cacheWriteTokens: 300,
      cacheWrite1hTokens: 300,
    });
    expect(anthropicStartUsage({ type: 'content_block_start' })).toBeUndefined();
  });

  it('keeps Anthropic’s signed thinking only', () => {
    const content = [
      { type: 'reasoning', text: 'hmm', providerMetadata: { anthropic: { signature: 'sig' } } },
      { type: 'reasoning', text: '', providerMetadata: { anthropic: { redactedData: 'ENC' } } },
      { type: 'text', text: 'answer' },
    ];
    expect(reasoningOf('anthropic', content)).toEqual([
      { type: 'thinking', text: 'hmm', signature: 'sig' },
      { type: 'redacted-thinking', data: 'ENC' },
    ]);
    expect(reasoningOf('deepseek', content)).toEqual([]);
  });
});
