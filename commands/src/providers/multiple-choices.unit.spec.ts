import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import { completeChoices, streamChoices } from './multiple-choices.js';
import type { ChatDelta, ChatRequest, ChatResult } from './types.js';

const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
  n: 3,
};
const result = (text: string, cacheReadTokens?: number): ChatResult => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  text,
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 2, ...(cacheReadTokens ? { cacheReadTokens } : {}) },
  attempts: 1,
  removedSchemaKeywords: [],
});

describe('n choices as n calls', () => {
  it('sends each call without n and sums usage, cache reads and attempts', async () => {
    const seen: (number | undefined)[] = [];
    const texts = ['a', 'b', 'c'];
    const out = await completeChoices(request, async (single) => {
      seen.push(single.n);
      return result(texts.shift()!, 4);
    });
    expect(seen).toEqual([undefined, undefined, undefined]);
    expect(out.text).toBe('a');
    expect(out.choices?.map((c) => c.text)).toEqual(['b', 'c']);
    expect(out.usage).toEqual({ inputTokens: 30, outputTokens: 6, cacheReadTokens: 12 });
    expect(out.attempts).toBe(3);
  });

  it('marks a provider failure as billed when another choice was answered', async () => {
    let call = 0;
    const error = await completeChoices({ ...request, n: 2 }, async () => {
      if (call++ === 1) throw new ProviderError('openai', 1, 400, 'client_error');
      return result('ok');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).billed).toBe(true);
  });

  it('streams every choice tagged with its index, ends each, and closes with the summed usage', async () => {
    async function* one(text: string): AsyncGenerator<ChatDelta> {
      yield { type: 'text', text };
      yield {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 10, outputTokens: 1 },
        attempts: 1,
        removedSchemaKeywords: [],
      };
    }
    const texts = ['x', 'y'];
    const deltas: ChatDelta[] = [];
    for await (const d of streamChoices({ ...request, n: 2 }, () => one(texts.shift()!))) deltas.push(d);
    expect(deltas.filter((d) => d.type === 'text')).toEqual(
      expect.arrayContaining([
        { type: 'text', text: 'x' },
        { type: 'text', text: 'y', choice: 1 },
      ]),
    );
    expect(
      deltas
        .filter((d) => d.type === 'choice-finish')
        .map((d) => d.choice)
        .sort(),
    ).toEqual([0, 1]);
    expect(deltas.at(-1)).toMatchObject({
      type: 'finish',
      usage: { inputTokens: 20, outputTokens: 2 },
      attempts: 2,
    });
  });
});
