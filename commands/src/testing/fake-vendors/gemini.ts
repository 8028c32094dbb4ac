import { geminiEmbeddings } from './embeddings.js';
import { pieces, type ScriptedReply } from './script.js';
import { type FakeVendor, sendJson, startFakeVendor, startSse } from './server.js';

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * Gemini (`POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`). Streamed
 * text arrives in several chunks; function calls arrive whole, one part each, as Gemini sends them.
 */
export function startFakeGemini(options: { fallback?: ScriptedReply } = {}): Promise<FakeVendor> {
  return startFakeVendor({
    ...options,
    handler: ({ res, request, reply }) => {
      const m =
        /\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)/.exec(
          request.path,
        );
      if (!m) {
        sendJson(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
        return;
      }
      if (reply.status && reply.status >= 400) {
        const status = STATUS[reply.status] ?? 'UNKNOWN';
        sendJson(
          res,
          reply.status,
          { error: { code: reply.status, message: `fake ${status}`, status } },
          reply.headers,
        );
        return;
      }
      if (m[2] === 'embedContent' || m[2] === 'batchEmbedContents')
        return geminiEmbeddings(res, request, m[2] === 'batchEmbedContents', reply);
      const usage = reply.usage ?? { input: 10, output: 5 };
      const usageMetadata = {
        promptTokenCount: usage.input,
        candidatesTokenCount: usage.output,
        totalTokenCount: usage.input + usage.output,
      };
      const callParts = (reply.toolCalls ?? []).map((c) => ({
        functionCall: { name: c.name, args: c.arguments },
      }));
      const candidate = (parts: unknown[], finishReason?: string) => ({
        content: { role: 'model', parts },
        index: 0,
        ...(finishReason ? { finishReason } : {}),
      });
      if (m[2] === 'generateContent') {
        const parts = [...(reply.text ? [{ text: reply.text }] : []), ...callParts];
        sendJson(res, 200, { candidates: [candidate(parts, 'STOP')], usageMetadata, modelVersion: m[1] });
        return;
      }
      const send = startSse(res, reply.headers);
      const textPieces = pieces(reply.text ?? '', reply.chunks ?? 3);
      for (const text of textPieces) send({ candidates: [candidate([{ text }])], modelVersion: m[1] });
      for (const part of callParts) send({ candidates: [candidate([part])], modelVersion: m[1] });
      send({ candidates: [candidate([{ text: '' }], 'STOP')], usageMetadata, modelVersion: m[1] });
      res.end();
    },
  });
}
