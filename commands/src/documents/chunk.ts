import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import type { Block } from './blocks.js';

/**
 * Chunk sizes in cl100k_base tokens (the tokenizer of OpenAI's embedding models; other embedders'
 * tokenizers differ by a few percent, well inside the limit's margin).
 */
export const CHUNKING = { maxTokens: 256, overlapTokens: 32 } as const;

export interface Chunk {
  index: number;
  /** The section's heading path as its first line, then the text. */
  text: string;
  tokens: number;
}

let encoder: Tiktoken | undefined;
const tokenizer = () => {
  encoder ??= new Tiktoken(cl100k);
  return encoder;
};

export const countTokens = (text: string) => tokenizer().encode(text).length;

/** Windows of at most `max` tokens, each starting `overlap` tokens before the previous one ended. */
function windows(text: string, max: number, overlap: number): string[] {
  const enc = tokenizer();
  const ids = enc.encode(text);
  if (ids.length <= max) return [text];
  const out: string[] = [];
  for (let start = 0; start < ids.length; start += max - overlap) {
    out.push(enc.decode(ids.slice(start, start + max)));
    if (start + max >= ids.length) break;
  }
  return out;
}

/** The last `overlap` tokens of a text, carried into the next chunk of the same section. */
function tail(text: string, overlap: number): string {
  const enc = tokenizer();
  const ids = enc.encode(text);
  return ids.length <= overlap ? text : enc.decode(ids.slice(ids.length - overlap));
}

/**
 * Chunks by structure: a heading ends the chunk before it, so a chunk never spans two sections, and
 * every chunk starts with its section's heading path (`Policy > Retention`), which is what a reader
 * searching for the section would type. Paragraphs fill a chunk up to `maxTokens`; the next chunk of
 * the same section repeats the last `overlapTokens` of the one before, and a paragraph longer than a
 * chunk is cut into overlapping windows.
 */
export function chunkBlocks(
  blocks: readonly Block[],
  options: { maxTokens?: number; overlapTokens?: number } = {},
): Chunk[] {
  const max = options.maxTokens ?? CHUNKING.maxTokens;
  const overlap = Math.min(options.overlapTokens ?? CHUNKING.overlapTokens, Math.floor(max / 2));
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let parts: string[] = [];
  let used = 0;
  let carried = false;

  const header = () => path.map((h) => h.text).join(' > ');
  const emit = () => {
    if (parts.length === 0 || (carried && parts.length === 1)) return;
    const head = header();
    const text = (head ? [head, ...parts] : parts).join('\n\n');
    chunks.push({ index: chunks.length, text, tokens: countTokens(text) });
  };
  const budget = () => max - (path.length > 0 ? countTokens(header()) + 2 : 0);

  for (const block of blocks) {
    if (block.kind === 'heading') {
      emit();
      parts = [];
      used = 0;
      carried = false;
      while (path.length > 0 && path.at(-1)!.level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      continue;
    }
    // Windows leave room for the carried overlap, so no chunk passes the limit.
    const room = Math.max(overlap * 3, budget());
    for (const piece of windows(block.text, room - overlap, overlap)) {
      const size = countTokens(piece);
      if (used + size > room && parts.length > 0) {
        const last = parts.at(-1)!;
        emit();
        const kept = tail(last, overlap);
        parts = [kept];
        used = countTokens(kept);
        carried = true;
      }
      parts.push(piece);
      used += size;
      carried = false;
    }
  }
  emit();
  return chunks;
}
