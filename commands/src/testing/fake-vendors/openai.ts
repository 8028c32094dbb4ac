import { openAiEmbeddings } from './embeddings.js';
import { pieces, type RecordedRequest, type ScriptedReply } from './script.js';
import { type FakeVendor, sendJson, startFakeVendor, startSse } from './server.js';

/**
 * OpenAI's `logprobs.content` for a piece of text when the request asked for it: one entry per word-ish
 * token, each with `top_logprobs` alternatives (the token itself first).
 */
function logprobs(text: string, body: Record<string, unknown>) {
  if (body.logprobs !== true) return null;
  const top = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const bytes = (t: string) => [...Buffer.from(t, 'utf8')];
  const content = (text.match(/\s*\S+/g) ?? []).map((token, i) => ({
    token,
    logprob: -0.01 * (i + 1),
    bytes: bytes(token),
    top_logprobs: Array.from({ length: top }, (_, k) => {
      const alt = k === 0 ? token : `${token}~${k}`;
      return { token: alt, logprob: -0.01 * (i + 1) - k, bytes: bytes(alt) };
    }),
  }));
  return { content, refusal: null };
}

const callId = (reply: ScriptedReply, i: number) => reply.toolCalls?.[i]?.id ?? `call_fake_${i + 1}`;

/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`), JSON and SSE: role chunk, content chunks, indexed
 * tool-call chunks (id and name first, then argument fragments), a finish chunk, a usage chunk, `[DONE]`.
 * DeepSeek and OpenAI-compatible servers speak the same format. `POST /v1/embeddings` too (see embeddings.ts).
 */
export function startFakeOpenAI(
  options: {
    fallback?: ScriptedReply;
    respond?: (request: RecordedRequest) => ScriptedReply | undefined;
  } = {},
): Promise<FakeVendor> {
  return startFakeVendor({
    ...options,
    handler: ({ res, request, reply }) => {
      const embeddings = request.path.endsWith('/embeddings');
      if (!embeddings && !request.path.endsWith('/chat/completions')) {
        sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error', code: null } });
        return;
      }
      if (reply.status && reply.status >= 400) {
        const type =
          reply.status === 429
            ? 'rate_limit_exceeded'
            : reply.status >= 500
              ? 'server_error'
              : 'invalid_request_error';
        sendJson(res, reply.status, { error: { message: `fake ${type}`, type, code: type } }, reply.headers);
        return;
      }
      if (embeddings) return openAiEmbeddings(res, request, reply);
      const model = String(request.body.model ?? 'gpt-fake');
      const usage = reply.usage ?? { input: 10, output: 5 };
      const wireUsage = {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
        // OpenAI counts cached tokens inside prompt_tokens and reports them apart, always present.
        prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
      };
      const toolCalls = reply.toolCalls ?? [];
      const finish = toolCalls.length > 0 ? 'tool_calls' : 'stop';
      const base = { id: 'chatcmpl-fake', created: 1_700_000_000, model };
      if (request.body.stream !== true) {
        sendJson(res, 200, {
          ...base,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: reply.text ?? null,
                ...(toolCalls.length > 0
                  ? {
                      tool_calls: toolCalls.map((c, i) => ({
                        id: callId(reply, i),
                        type: 'function',
                        function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                      })),
                    }
                  : {}),
              },
              logprobs: logprobs(reply.text ?? '', request.body),
              finish_reason: finish,
            },
          ],
          usage: wireUsage,
        });
        return;
      }
      const send = startSse(res, reply.headers);
      const chunk = (delta: unknown, finishReason: string | null = null, lp: unknown = null) =>
        send({
          ...base,
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta, logprobs: lp, finish_reason: finishReason }],
        });
      chunk({ role: 'assistant', content: '' });
      // Streamed log probabilities ride on each content chunk, covering that chunk's tokens.
      for (const piece of pieces(reply.text ?? '', reply.chunks ?? 3))
        chunk({ content: piece }, null, logprobs(piece, request.body));
      toolCalls.forEach((c, index) => {
        chunk({
          tool_calls: [
            { index, id: callId(reply, index), type: 'function', function: { name: c.name, arguments: '' } },
          ],
        });
        for (const piece of pieces(JSON.stringify(c.arguments), reply.chunks ?? 3)) {
          chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
        }
      });
      chunk({}, finish);
      const options = request.body.stream_options as { include_usage?: boolean } | undefined;
      if (options?.include_usage)
        send({ ...base, object: 'chat.completion.chunk', choices: [], usage: wireUsage });
      send('[DONE]');
      res.end();
    },
  });
}
