/** A tool call a fake vendor should make; `arguments` is sent as the vendor's wire format wants it. */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ScriptedThinking = { text: string; signature: string } | { redacted: string };

/** One scripted answer. An `status` ≥ 400 answers with that vendor's error body instead. */
export interface ScriptedReply {
  status?: number;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Thinking blocks ahead of the text (Anthropic): readable with their signature, or redacted. */
  thinking?: ScriptedThinking[];
  /**
   * `input` is the vendor's own input count (Anthropic's leaves out cache reads and writes, OpenAI's
   * includes its cached tokens); writes are Anthropic's, split by TTL; reads are either vendor's.
   */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite5m?: number; cacheWrite1h?: number };
  /** How many pieces text and tool arguments are cut into when streaming (default 3). */
  chunks?: number;
  /** Waits this long before answering, as a real model takes time to its first byte. */
  delayMs?: number;
}

/** A request as the fake received it, so tests can assert what actually went over the wire. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export const DEFAULT_REPLY: ScriptedReply = {
  text: 'Hello from the fake vendor.',
  usage: { input: 12, output: 7 },
};

/** Cuts a string into `n` nearly equal pieces (fewer when it is short). */
export function pieces(text: string, n: number): string[] {
  if (text.length === 0) return [];
  const size = Math.ceil(text.length / Math.max(1, n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
