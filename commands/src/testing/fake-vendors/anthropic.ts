import { pieces, type ScriptedReply } from './script.js';
import { type FakeVendor, sendJson, startFakeVendor, startSse } from './server.js';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/**
 * Anthropic Messages (`POST /v1/messages`), JSON and SSE: message_start, per block content_block_start /
 * content_block_delta (text_delta or input_json_delta) / content_block_stop, message_delta with the stop
 * reason and output usage, message_stop.
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
      const usage = reply.usage ?? { input: 10, output: 5 };
      const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({ ...c, id: c.id ?? `toolu_fake_${i + 1}` }));
      const stopReason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
      const message = { id: 'msg_fake', type: 'message', role: 'assistant', model, stop_sequence: null };
      if (request.body.stream !== true) {
        sendJson(res, 200, {
          ...message,
          content: [
            ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
            ...toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })),
          ],
          stop_reason: stopReason,
          usage: { input_tokens: usage.input, output_tokens: usage.output },
        });
        return;
      }
      const send = startSse(res, reply.headers);
      const event = (type: string, data: Record<string, unknown>) => send({ type, ...data }, type);
      event('message_start', {
        message: {
          ...message,
          content: [],
          stop_reason: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      });
      let index = 0;
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
        usage: { output_tokens: usage.output },
      });
      event('message_stop', {});
      res.end();
    },
  });
}
