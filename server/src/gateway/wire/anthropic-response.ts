import type { ChatDelta, ChatResult, FinishReason } from '../commands.js';

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

/** A finished call as a Messages answer. `model` echoes what the caller asked for. */
export function toAnthropicMessage(options: { requestId: string; model: string; result: ChatResult }) {
  const { requestId, model, result } = options;
  return {
    id: `msg_${requestId}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [
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
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
  };
}

type SseEvent = { event: string; data: Record<string, unknown> };

/**
 * Turns normalised deltas into Messages stream events: one content block per text run or tool call
 * (text_delta / input_json_delta), then message_delta with the stop reason and usage, then message_stop.
 */
export function createAnthropicStreamer(options: { requestId: string; model: string }) {
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
  return {
    start: (): SseEvent =>
      ev('message_start', {
        message: {
          id: `msg_${options.requestId}`,
          type: 'message',
          role: 'assistant',
          model: options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      }),
    delta(d: ChatDelta): SseEvent[] {
      const out: SseEvent[] = [];
      if (d.type === 'text') {
        if (!d.text) return out;
        if (open?.key !== 'text') {
          out.push(...close());
          open = { index: blocks++, key: 'text' };
          out.push(
            ev('content_block_start', { index: open.index, content_block: { type: 'text', text: '' } }),
          );
        }
        out.push(
          ev('content_block_delta', { index: open.index, delta: { type: 'text_delta', text: d.text } }),
        );
        return out;
      }
      if (d.type === 'tool-call-delta') {
        let index = blockOfTool.get(d.index);
        if (index === undefined) {
          out.push(...close());
          index = blocks++;
          blockOfTool.set(d.index, index);
          open = { index, key: `tool-${d.index}` };
          out.push(
            ev('content_block_start', {
              index,
              content_block: { type: 'tool_use', id: d.id, name: d.name ?? '', input: {} },
            }),
          );
        }
        if (d.argumentsDelta)
          out.push(
            ev('content_block_delta', {
              index,
              delta: { type: 'input_json_delta', partial_json: d.argumentsDelta },
            }),
          );
        return out;
      }
      out.push(...close());
      out.push(
        ev('message_delta', {
          delta: { stop_reason: STOP[d.finishReason], stop_sequence: null },
          usage: { input_tokens: d.usage.inputTokens, output_tokens: d.usage.outputTokens },
        }),
      );
      out.push(ev('message_stop', {}));
      return out;
    },
  };
}
