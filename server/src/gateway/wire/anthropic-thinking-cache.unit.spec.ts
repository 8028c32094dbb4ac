import { describe, expect, it } from 'vitest';
import type { ChatDelta } from '../commands.js';
import { anthropicMessagesRequest, fromAnthropic } from './anthropic-request.js';
import { createAnthropicStreamer, toAnthropicMessage } from './anthropic-response.js';

const parse = (body: Record<string, unknown>) =>
  fromAnthropic(anthropicMessagesRequest.parse({ model: 'claude-sonnet-4-5', max_tokens: 4000, ...body }));
const EPHEMERAL = { type: 'ephemeral' } as const;

describe('Messages request: thinking and cache_control', () => {
  it('carries thinking, with display only where the SDK model has a field for it', () => {
    expect(
      parse({
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).toMatchObject({ thinking: { type: 'enabled', budgetTokens: 2048 }, maxTokens: 4000 });
    expect(
      parse({
        thinking: { type: 'adaptive', display: 'omitted' },
        messages: [{ role: 'user', content: 'hi' }],
      }).thinking,
    ).toEqual({ type: 'adaptive', display: 'omitted' });
    const shown = parse({
      thinking: { type: 'enabled', budget_tokens: 2048, display: 'summarized' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(shown.uncarried).toEqual(['thinking.display']);
  });

  it('refuses a thinking budget that does not fit inside max_tokens', () => {
    const parsed = anthropicMessagesRequest.safeParse({
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['thinking', 'budget_tokens']);
  });

  it('puts each breakpoint on the block that carried it', () => {
    const r = parse({
      cache_control: { type: 'ephemeral', ttl: '1h' },
      system: [
        { type: 'text', text: 'You are terse.', cache_control: EPHEMERAL },
        { type: 'text', text: 'Today is Monday.' },
      ],
      tools: [
        { name: 'ls', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'list' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use ls.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'ENCRYPTED' },
            { type: 'tool_use', id: 'toolu_1', name: 'ls', input: {}, cache_control: EPHEMERAL },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'a b', cache_control: EPHEMERAL },
          ],
        },
      ],
    });
    expect(r.uncarried).toBeUndefined();
    expect(r.system).toBeUndefined();
    expect(r.cacheControl).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(r.tools![0]!.cacheControl).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(r.messages).toEqual([
      { role: 'system', content: 'You are terse.', cacheControl: EPHEMERAL },
      { role: 'system', content: 'Today is Monday.' },
      { role: 'user', content: 'list' },
      {
        role: 'assistant',
        toolCalls: [{ id: 'toolu_1', name: 'ls', arguments: '{}' }],
        reasoning: [
          { type: 'thinking', text: 'Use ls.', signature: 'sig-1' },
          { type: 'redacted-thinking', data: 'ENCRYPTED' },
        ],
        cacheControl: EPHEMERAL,
      },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'ls', content: 'a b', cacheControl: EPHEMERAL },
    ]);
  });

  it('keeps system blocks as one text when none of them is a breakpoint', () => {
    const r = parse({
      system: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.system).toBe('a\nb');
    expect(r.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('refuses by name a breakpoint or thinking block it would have to move', () => {
    const r = parse({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me look.', cache_control: EPHEMERAL },
            { type: 'thinking', thinking: 'late', signature: 's', cache_control: EPHEMERAL },
            { type: 'tool_use', id: 'toolu_1', name: 'ls', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'text', text: 'a', cache_control: EPHEMERAL }],
            },
            { type: 'thinking', thinking: 'x', signature: 's' },
          ],
        },
      ],
    });
    expect(r.uncarried).toEqual([
      'messages[1].content[0].cache_control',
      'messages[1].content[1].cache_control',
      'messages[1].content[1] (thinking after text or tool_use)',
      'messages[2].content[1].type=thinking',
      'messages[2].content[0].content[0].cache_control',
    ]);
  });

  it('refuses more than four breakpoints, as Anthropic does', () => {
    const texts = Array.from({ length: 5 }, (_, i) => ({
      type: 'text',
      text: `t${i}`,
      cache_control: EPHEMERAL,
    }));
    expect(parse({ messages: [{ role: 'user', content: texts }] }).uncarried).toEqual([
      'cache_control (more than 4 breakpoints)',
    ]);
    expect(parse({ messages: [{ role: 'user', content: texts.slice(1) }] }).uncarried).toBeUndefined();
    // One text block that is a breakpoint stays a block (a plain string would lose it).
    expect(parse({ messages: [{ role: 'user', content: texts.slice(4) }] }).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 't4', cacheControl: EPHEMERAL }] },
    ]);
  });

  it('rejects a malformed cache_control or thinking block as an invalid body', () => {
    const bad = (content: unknown[]) =>
      anthropicMessagesRequest.safeParse({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'assistant', content }],
      }).success;
    expect(bad([{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }])).toBe(false);
    expect(bad([{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '2h' } }])).toBe(false);
    expect(bad([{ type: 'thinking', thinking: 'x' }])).toBe(false);
    expect(bad([{ type: 'redacted_thinking', data: '' }])).toBe(false);
    expect(bad([{ type: 'thinking', thinking: 'x', signature: 's' }])).toBe(true);
  });
});

describe('Messages answer: thinking blocks and cache usage', () => {
  const usage = {
    inputTokens: 1_000,
    outputTokens: 50,
    cacheReadTokens: 600,
    cacheWriteTokens: 300,
    cacheWrite1hTokens: 100,
  };

  it('renders thinking ahead of the text, and usage as Anthropic splits it', () => {
    const message = toAnthropicMessage({
      requestId: 'req_1',
      model: 'claude-sonnet-4-5',
      result: {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        text: 'Done.',
        toolCalls: [],
        reasoning: [
          { type: 'thinking', text: 'Think.', signature: 'sig' },
          { type: 'redacted-thinking', data: 'ENC' },
        ],
        finishReason: 'stop',
        usage,
        attempts: 1,
        removedSchemaKeywords: [],
      },
    });
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Think.', signature: 'sig' },
      { type: 'redacted_thinking', data: 'ENC' },
      { type: 'text', text: 'Done.' },
    ]);
    expect(message.usage).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 600,
      cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
      output_tokens: 50,
    });
  });

  it('streams the events Anthropic sends, in its order', () => {
    const streamer = createAnthropicStreamer({ requestId: 'req_1', model: 'claude-sonnet-4-5' });
    const deltas: ChatDelta[] = [
      { type: 'usage', usage: { ...usage, outputTokens: 1 } },
      { type: 'reasoning', id: '0', text: 'Think' },
      { type: 'reasoning', id: '0', text: 'ing.' },
      { type: 'reasoning-signature', id: '0', signature: 'sig' },
      { type: 'reasoning-redacted', id: '1', data: 'ENC' },
      { type: 'text', text: 'Done.' },
      { type: 'finish', finishReason: 'stop', usage, attempts: 1, removedSchemaKeywords: [] },
    ];
    expect(streamer.start()).toEqual([]);
    const events = deltas.flatMap((d) => streamer.delta(d)).map((e) => e.data);
    expect(events).toEqual([
      {
        type: 'message_start',
        message: expect.objectContaining({
          usage: {
            input_tokens: 100,
            cache_creation_input_tokens: 300,
            cache_read_input_tokens: 600,
            cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
            output_tokens: 1,
          },
        }),
      },
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Think' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'ing.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'ENC' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Done.' } },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 100,
          cache_creation_input_tokens: 300,
          cache_read_input_tokens: 600,
          output_tokens: 50,
        },
      },
      { type: 'message_stop' },
    ]);
  });

  it('starts the message with zero usage when no usage came before the content', () => {
    const streamer = createAnthropicStreamer({ requestId: 'req_1', model: 'gpt-4o-mini' });
    const [start, blockStart] = streamer.delta({ type: 'text', text: 'hi' }).map((e) => e.data);
    expect(start).toMatchObject({
      type: 'message_start',
      message: { usage: { input_tokens: 0, output_tokens: 0 } },
    });
    expect(blockStart).toMatchObject({ type: 'content_block_start', index: 0 });
  });
});
