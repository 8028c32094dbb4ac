import { describe, expect, it } from 'vitest';
import { requestTexts, resolveProvider, withTexts } from './index.js';

describe('resolveProvider', () => {
  it.each([
    ['gpt-4o-mini', 'openai', 'gpt-4o-mini'],
    ['o3-mini', 'openai', 'o3-mini'],
    ['claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5'],
    ['gemini-2.5-flash', 'gemini', 'gemini-2.5-flash'],
    ['deepseek-chat', 'deepseek', 'deepseek-chat'],
    ['demo', 'demo', 'demo'],
    ['openai-compatible/llama3', 'openai-compatible', 'llama3'],
    ['anthropic/claude-x', 'anthropic', 'claude-x'],
  ])('%s → %s', (model, provider, name) => {
    expect(resolveProvider({ model, openAiCompatibleAvailable: false })).toEqual({ provider, model: name });
  });

  it('sends unknown models to the OpenAI-compatible server only when there is one', () => {
    expect(resolveProvider({ model: 'llama3.1', openAiCompatibleAvailable: false })).toBeUndefined();
    expect(resolveProvider({ model: 'llama3.1', openAiCompatibleAvailable: true })).toEqual({
      provider: 'openai-compatible',
      model: 'llama3.1',
    });
  });
});

describe('request texts', () => {
  it('lists every text in order and puts replacements back where they came from', () => {
    const request = {
      system: 'sys',
      messages: [
        { role: 'user' as const, content: 'u1' },
        { role: 'assistant' as const, toolCalls: [{ id: 'c1', name: 't', arguments: '{"a":1}' }] },
        { role: 'tool' as const, toolCallId: 'c1', toolName: 't', content: 'r1' },
      ],
    };
    const texts = requestTexts(request);
    expect(texts).toEqual(['sys', 'u1', '', '{"a":1}', 'r1']);
    const replaced = withTexts(
      request,
      texts.map((t) => t.toUpperCase()),
    );
    expect(replaced).toEqual({
      system: 'SYS',
      messages: [
        { role: 'user', content: 'U1' },
        { role: 'assistant', toolCalls: [{ id: 'c1', name: 't', arguments: '{"A":1}' }] },
        { role: 'tool', toolCallId: 'c1', toolName: 't', content: 'R1' },
      ],
    });
  });
});
