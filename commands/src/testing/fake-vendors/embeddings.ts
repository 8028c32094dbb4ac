import type { ServerResponse } from 'node:http';
import type { RecordedRequest, ScriptedReply } from './script.js';
import { sendJson } from './server.js';

/** A fake vector for a text: the same text always gets the same vector, so specs can compare. */
export function fakeVector(text: string, dimensions = 3): number[] {
  let seed = 0;
  for (const ch of text) seed = (seed * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_003;
  return Array.from({ length: dimensions }, (_, i) => ((seed * (i + 7)) % 1000) / 1000);
}

const texts = (input: unknown): string[] =>
  typeof input === 'string' ? [input] : Array.isArray(input) ? input.map(String) : [];

/**
 * OpenAI `POST /v1/embeddings`: `{object:"list", data:[{object:"embedding", index, embedding}], model,
 * usage:{prompt_tokens,total_tokens}}`; base64 vectors (little-endian float32) when asked for.
 */
export function openAiEmbeddings(res: ServerResponse, request: RecordedRequest, reply: ScriptedReply): void {
  const dimensions = typeof request.body.dimensions === 'number' ? request.body.dimensions : 3;
  const base64 = request.body.encoding_format === 'base64';
  const data = texts(request.body.input).map((text, index) => {
    const vector = fakeVector(text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
    };
  });
  const tokens = reply.usage?.input ?? 8;
  sendJson(
    res,
    200,
    {
      object: 'list',
      data,
      model: String(request.body.model ?? 'text-embedding-fake'),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
    reply.headers,
  );
}

/**
 * Gemini `models/{model}:embedContent` (`{embedding:{values}}`) and `:batchEmbedContents`
 * (`{embeddings:[{values}]}`); Gemini reports no token usage for embeddings.
 */
export function geminiEmbeddings(
  res: ServerResponse,
  request: RecordedRequest,
  batch: boolean,
  reply: ScriptedReply,
): void {
  type Content = { content?: { parts?: { text?: string }[] }; outputDimensionality?: number };
  const vector = (c: Content) =>
    fakeVector((c.content?.parts ?? []).map((p) => p.text ?? '').join(''), c.outputDimensionality ?? 3);
  if (!batch) {
    sendJson(res, 200, { embedding: { values: vector(request.body as Content) } }, reply.headers);
    return;
  }
  const requests = (request.body.requests ?? []) as Content[];
  sendJson(res, 200, { embeddings: requests.map((r) => ({ values: vector(r) })) }, reply.headers);
}
