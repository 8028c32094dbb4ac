import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropicMessagesRequest } from './anthropic-request.js';
import { parseWire } from './strict-parse.js';

describe('parseWire', () => {
  const part = z.union([
    z.strictObject({ type: z.literal('text'), text: z.string() }),
    z.looseObject({ type: z.string().refine((t) => t !== 'text', { message: 'malformed', abort: true }) }),
  ]);
  const body = z.strictObject({
    messages: z.array(z.strictObject({ role: z.string(), content: z.union([z.string(), z.array(part)]) })),
  });

  it('names unknown keys at any depth by path, through unions, and parses without them', () => {
    const parsed = parseWire(body, {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', lang: 'en' }], priority: 1 }],
      extra: true,
    });
    expect(parsed).toEqual({
      success: true,
      data: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
      unknown: ['messages[0].content[0].lang', 'messages[0].priority', 'extra'],
    });
  });

  it('takes a null unknown key as absent, and fails on anything else wrong', () => {
    expect(parseWire(body, { messages: [{ role: 'user', content: 'x', note: null }] })).toMatchObject({
      success: true,
      unknown: [],
    });
    const wrong = parseWire(body, {
      messages: [{ role: 'user', content: [{ type: 'text', text: 1 }] }],
      x: 1,
    });
    expect(wrong.success).toBe(false);
  });

  it('walks the Messages body: a nested source, a tool result’s text and a context edit', () => {
    const parsed = parseWire(anthropicMessagesRequest, {
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok', score: 1 }] },
            { type: 'image', source: { type: 'url', url: 'https://a.example/x.png', referer: 'x' } },
          ],
        },
      ],
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all', depth: 1 }] },
    });
    expect(parsed.success && parsed.unknown).toEqual([
      'messages[0].content[0].content[0].score',
      'messages[0].content[1].source.referer',
      'context_management.edits[0].depth',
    ]);
  });
});
