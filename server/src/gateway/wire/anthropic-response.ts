import type { ChatDelta, ChatResult, FinishReason, ReasoningPart, Usage } from '../commands.js';

const STOP: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'end_turn',
};

const parsed = (args: string): unknown => {
  try {
    return JSON.parse(args || '{}');
  } catch {
    return {};
  }
};

/**
 * Usage as Anthropic reports it: `input_tokens` leaves out what was read from or written to the prompt
 * cache, which have their own counts (writes split by TTL).
 */
export function anthropicUsage(usage: Usage) {
  const read = usage.cacheReadTokens ?? 0;
  const write = usage.cacheWriteTokens ?? 0;
  const hour = usage.cacheWrite1hTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - read - write),
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: write - hour, ephemeral_1h_input_tokens: hour },
    output_tokens: usage.outputTokens,
  };
}

const reasoningBlock = (r: ReasoningPart) =>
  r.type === 'thinking'
    ? { type: 'thinking', thinking: r.text, signature: r.signature }
    : { type: 'redacted_thinking', data: r.data };

/** A finished call as a Messages answer. `model` echoes what the caller asked for. */
export function toAnthropicMessage(options: { requestId: string; model: string; result: ChatResult }) {
  const { requestId, model, result } = options;
  return {
    id: `msg_${requestId}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [
      ...(result.reasoning ?? []).map(reasoningBlock),
      ...(result.text ? [{ type: 'text', text: result.text }] : []),
      ...result.toolCalls.map((c) => ({
        type: 'tool_use',
        id: c.id,
        name: c.name,
        input: parsed(c.arguments),
      })),
    ],
    stop_reason: STOP[result.finishReason],
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
    ...(result.appliedEdits ? { context_management: { applied_edits: result.appliedEdits } } : {}),
  };
}

type SseEvent = { event: string; data: Record<string, unknown> };

/**
 * Turns normalised deltas into Messages stream events as Anthropic sends them: message_start with the
 * input and cache usage, one content block per thinking block (thinking_delta then signature_delta), text
 * run (text_delta) or tool call (input_json_delta), a redacted_thinking block whole at its start, then
 * message_delta with the stop reason and usage, then message_stop. message_start waits for the first
 * delta, which carries the usage when the vendor reported it before any content.
 */
export function createAnthropicStreamer(options: { requestId: string; model: string }) {
  let started = false;
  let open: { index: number; key: string } | undefined;
  let blocks = 0;
  const blockOfTool = new Map<number, number>();
  const ev = (event: string, data: Record<string, unknown>): SseEvent => ({
    event,
    data: { type: event, ...data },
  });
  const close = (): SseEvent[] => {
    if (!open) return [];
    const out = [ev('content_block_stop', { index: open.index })];
    open = undefined;
    return out;
  };
  /** Opens a block unless the one with this key is open; returns its index. */
  const openBlock = (out: SseEvent[], key: string, block: Record<string, unknown>): number => {
    if (open?.key === key) return open.index;
    out.push(...close());
    open = { index: blocks++, key };
    out.push(ev('content_block_start', { index: open.index, content_block: block }));
    return open.index;
  };
  const messageStart = (usage: Usage): SseEvent =>
    ev('message_start', {
      message: {
        id: `msg_${options.requestId}`,
        type: 'message',
        role: 'assistant',
        model: options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage(usage),
      },
    });

  function content(d: ChatDelta, out: SseEvent[]): void {
    switch (d.type) {
      case 'usage':
        return;
      case 'reasoning': {
        if (!d.text) return;
        const index = openBlock(out, `thinking-${d.id}`, { type: 'thinking', thinking: '', signature: '' });
        out.push(ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: d.text } }));
        return;
      }
      case 'reasoning-signature': {
        const index = openBlock(out, `thinking-${d.id}`, { type: 'thinking', thinking: '', signature: '' });
        out.push(
          ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: d.signature } }),
        );
        return;
      }
      case 'reasoning-redacted':
        openBlock(out, `redacted-${d.id}`, { type: 'redacted_thinking', data: d.data });
        out.push(...close());
        return;
      case 'text': {
        if (!d.text) return;
        const index = openBlock(out, 'text', { type: 'text', text: '' });
        out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: d.text } }));
        return;
      }
      case 'tool-call-delta': {
        let index = blockOfTool.get(d.index);
        if (index === undefined) {
          index = openBlock(out, `tool-${d.index}`, {
            type: 'tool_use',
            id: d.id,
            name: d.name ?? '',
            input: {},
          });
          blockOfTool.set(d.index, index);
        }
        if (d.argumentsDelta)
          out.push(
            ev('content_block_delta', {
              index,
              delta: { type: 'input_json_delta', partial_json: d.argumentsDelta },
            }),
          );
        return;
      }
      case 'finish': {
        const { cache_creation: _split, ...usage } = anthropicUsage(d.usage);
        out.push(...close());
        out.push(
          ev('message_delta', {
            delta: { stop_reason: STOP[d.finishReason], stop_sequence: null },
            usage,
            // Anthropic reports the applied context edits on message_delta.
            ...(d.appliedEdits ? { context_management: { applied_edits: d.appliedEdits } } : {}),
          }),
        );
        out.push(ev('message_stop', {}));
        return;
      }
    }
  }

  return {
    start: (): SseEvent[] => [],
    delta(d: ChatDelta): SseEvent[] {
      const out: SseEvent[] = [];
      if (!started) {
        started = true;
        out.push(messageStart(d.type === 'usage' ? d.usage : { inputTokens: 0, outputTokens: 0 }));
      }
      content(d, out);
      return out;
    },
  };
}
