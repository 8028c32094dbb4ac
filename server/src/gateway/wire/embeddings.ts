import { z } from 'zod';
import type { EmbeddingResult } from '../commands.js';

/**
 * The Embeddings body. Text only: token-id arrays are refused, since the policy gate and DLP read text.
 * The openai SDK asks for base64 unless told otherwise, so both encodings are served.
 */
export const embeddingsBody = z.strictObject({
  model: z.string().min(1).max(200),
  input: z.union([
    z.string().min(1),
    z.array(z.string().min(1), { error: 'input must be a string or an array of strings' }).min(1).max(2048),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().max(65_536).optional(),
  user: z.string().max(256).optional(),
});
export type EmbeddingsBody = z.infer<typeof embeddingsBody>;

/**
 * The governed call's request for an embeddings call: each input is one user message, so policy, DLP and
 * the input-token bound read it like any prompt, and no output token is allowed (nor reserved).
 */
export function embeddingRequest(options: { model: string; inputs: readonly string[]; user?: string }) {
  return {
    model: options.model,
    messages: options.inputs.map((content) => ({ role: 'user' as const, content })),
    maxTokens: 0,
    // Carried like chat's `user`, or refused by name where the provider has no such field (Gemini).
    ...(options.user !== undefined ? { user: options.user } : {}),
  };
}

export const embeddingInputs = (body: EmbeddingsBody): string[] =>
  typeof body.input === 'string' ? [body.input] : body.input;

/** Little-endian float32, as OpenAI encodes `encoding_format: "base64"`. */
const base64Of = (vector: readonly number[]) => {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
};

/** An embeddings answer in OpenAI's list shape; `model` echoes what the caller asked for. */
export function toOpenAiEmbeddings(options: { body: EmbeddingsBody; result: EmbeddingResult }) {
  const { body, result } = options;
  const tokens = result.usage.inputTokens;
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: body.encoding_format === 'base64' ? base64Of(vector) : vector,
    })),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
