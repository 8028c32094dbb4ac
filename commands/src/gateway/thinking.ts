import { hash } from 'node:crypto';
import { createStreamRestorer, type DlpVault, restore, type StreamRestorer } from '../dlp/index.js';
import type { ChatDelta, ReasoningPart, ToolCall, Usage } from '../providers/index.js';

/**
 * Thinking is completion text: the caller gets it with DLP placeholders restored, like the answer's text.
 * Encrypted (redacted) blocks are opaque and pass unchanged.
 */
export const restoredReasoning = (reasoning: readonly ReasoningPart[], vault: DlpVault): ReasoningPart[] =>
  reasoning.map((r) => (r.type === 'thinking' ? { ...r, text: restore({ text: r.text, vault }) } : r));

/**
 * The hash the call event keeps of its completion (texts are never stored): the text and tool calls, and
 * the thinking as the vendor returned it when there was some.
 */
export function completionSha256(outcome: {
  text: string;
  toolCalls: readonly ToolCall[];
  reasoning?: readonly ReasoningPart[] | undefined;
  choices?: readonly { text: string; toolCalls: readonly ToolCall[] }[] | undefined;
}): string {
  const { text, toolCalls, reasoning, choices } = outcome;
  const body: unknown[] = reasoning?.length ? [text, toolCalls, reasoning] : [text, toolCalls];
  // Further choices (n > 1) are completions too; a single-choice call hashes as it always did.
  if (choices?.length) body.push(choices.map((c) => [c.text, c.toolCalls]));
  return hash('sha256', JSON.stringify(body), 'hex');
}

/** The prompt-cache counts of a usage, for the call event (absent when the vendor reported none). */
export function cacheUsageFields(usage: Usage) {
  const { cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens } = usage;
  return {
    ...(cacheReadTokens ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens ? { cacheWriteTokens } : {}),
    ...(cacheWrite1hTokens ? { cacheWrite1hTokens } : {}),
  };
}

type ReasoningDelta = Extract<
  ChatDelta,
  { type: 'reasoning' | 'reasoning-signature' | 'reasoning-redacted' }
>;

export const isReasoningDelta = (d: ChatDelta): d is ReasoningDelta =>
  d.type === 'reasoning' || d.type === 'reasoning-signature' || d.type === 'reasoning-redacted';

/**
 * Restores a stream's thinking block by block. A restorer holds back a possible placeholder at the end of
 * a piece; what it holds is released when the block ends (its signature, another block, or any other
 * delta), so every piece stays inside its own block and ahead of the signature.
 */
export function createThinkingRestorer(vault: DlpVault) {
  const parts: ReasoningPart[] = [];
  let open:
    | { id: string; part: Extract<ReasoningPart, { type: 'thinking' }>; restorer: StreamRestorer }
    | undefined;

  const close = (): ChatDelta[] => {
    if (!open) return [];
    const tail = open.restorer.flush();
    const out: ChatDelta[] = tail ? [{ type: 'reasoning', id: open.id, text: tail }] : [];
    open = undefined;
    return out;
  };
  const block = (id: string, out: ChatDelta[]) => {
    if (open && open.id !== id) out.push(...close());
    if (!open) {
      const part = { type: 'thinking' as const, text: '', signature: '' };
      parts.push(part);
      open = { id, part, restorer: createStreamRestorer({ vault }) };
    }
    return open;
  };

  return {
    /** The restored deltas for one thinking delta, after anything an earlier block still held. */
    push(d: ReasoningDelta): ChatDelta[] {
      const out: ChatDelta[] = [];
      if (d.type === 'reasoning-redacted') {
        out.push(...close());
        parts.push({ type: 'redacted-thinking', data: d.data });
        out.push(d);
        return out;
      }
      const b = block(d.id, out);
      if (d.type === 'reasoning') {
        b.part.text += d.text;
        const text = b.restorer.push(d.text);
        if (text) out.push({ type: 'reasoning', id: d.id, text });
        return out;
      }
      b.part.signature = d.signature;
      out.push(...close(), d);
      return out;
    },
    /** Ends the open block: what its restorer held back. */
    close,
    /** The thinking as the vendor sent it (still masked), for the audit. */
    parts: (): ReasoningPart[] => parts,
  };
}
