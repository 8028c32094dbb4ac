import { pieces, type ScriptedReply } from './script.js';
import { type FakeVendor, sendJson, startFakeVendor, startSse } from './server.js';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Usage as Anthropic reports it: cache reads and writes apart from `input_tokens`, writes split by TTL. */
function usageOf(reply: ScriptedReply, outputTokens: number) {
  const u = reply.usage ?? { input: 10, output: 5 };
  const fiveMinutes = u.cacheWrite5m ?? 0;
  const hour = u.cacheWrite1h ?? 0;
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: fiveMinutes + hour,
    cache_read_input_tokens: u.cacheRead ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: fiveMinutes, ephemeral_1h_input_tokens: hour },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/**
 * Anthropic Messages (`POST /v1/messages`), JSON and SSE: message_start (input and cache usage), per block
 * content_block_start / content_block_delta / content_block_stop — thinking blocks first (thinking_delta
 * pieces, then one signature_delta; a redacted_thinking block whole at its start), then text (text_delta)
 * and tool_use (input_json_delta) — message_delta with the stop reason and output usage, message_stop.
 */
export function startFakeAnthropic(options: { fallback?: ScriptedReply } = {}): Promise<FakeVendor> {
  return startFakeVendor({
    ...options,
    handler: ({ res, request, reply }) => {
      if (!request.path.endsWith('/messages')) {
        sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'not found' } });
        return;
      }
      if (reply.status && reply.status >= 400) {
        const type =
          ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'api_error' : 'invalid_request_error');
        sendJson(
          res,
          reply.status,
          { type: 'error', error: { type, message: `fake ${type}` } },
          reply.headers,
        );
        return;
      }
      const model = String(request.body.model ?? 'claude-fake');
      const output = reply.usage?.output ?? 5;
      const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({ ...c, id: c.id ?? `toolu_fake_${i + 1}` }));
      const thinking = reply.thinking ?? [];
      const stopReason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
      const message = { id: 'msg_fake', type: 'message', role: 'assistant', model, stop_sequence: null };
      // Context edits asked for come back applied, as Anthropic reports them (one tool use or thinking
      // turn cleared each): on the message, or on message_delta when streamed.
      const edits = (request.body.context_management as { edits?: { type: string }[] } | undefined)?.edits;
      const applied = edits?.length
        ? {
            context_management: {
              applied_edits: edits.map((e) =>
                e.type === 'clear_thinking_20251015'
                  ? { type: e.type, cleared_thinking_turns: 1, cleared_input_tokens: 120 }
                  : { type: e.type, cleared_tool_uses: 1, cleared_input_tokens: 340 },
              ),
            },
          }
        : {};
      if (request.body.stream !== true) {
        sendJson(res, 200, {
          ...message,
          content: [
            ...thinking.map((t) =>
              'redacted' in t
                ? { type: 'redacted_thinking', data: t.redacted }
                : { type: 'thinking', thinking: t.text, signature: t.signature },
            ),
            ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
            ...toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })),
          ],
          stop_reason: stopReason,
          usage: usageOf(reply, output),
          ...applied,
        });
        return;
      }
      const send = startSse(res, reply.headers);
      const event = (type: string, data: Record<string, unknown>) => send({ type, ...data }, type);
      event('message_start', {
        message: { ...message, content: [], stop_reason: null, usage: usageOf(reply, 1) },
      });
      let index = 0;
      for (const t of thinking) {
        if ('redacted' in t) {
          event('content_block_start', {
            index,
            content_block: { type: 'redacted_thinking', data: t.redacted },
          });
        } else {
          event('content_block_start', {
            index,
            content_block: { type: 'thinking', thinking: '', signature: '' },
          });
          for (const piece of pieces(t.text, reply.chunks ?? 3))
            event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
          event('content_block_delta', { index, delta: { type: 'signature_delta', signature: t.signature } });
        }
        event('content_block_stop', { index });
        index++;
      }
      if (reply.text) {
        event('content_block_start', { index, content_block: { type: 'text', text: '' } });
        event('ping', {});
        for (const text of pieces(reply.text, reply.chunks ?? 3)) {
          event('content_block_delta', { index, delta: { type: 'text_delta', text } });
        }
        event('content_block_stop', { index });
        index++;
      }
      for (const c of toolCalls) {
        event('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} },
        });
        for (const partial_json of pieces(JSON.stringify(c.arguments), reply.chunks ?? 3)) {
          event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
        }
        event('content_block_stop', { index });
        index++;
      }
      event('message_delta', {
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: output },
        ...applied,
      });
      event('message_stop', {});
      res.end();
    },
  });
}
