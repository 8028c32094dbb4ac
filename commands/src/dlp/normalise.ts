/**
 * Text as the recognisers see it: NFKC, so fullwidth and other compatibility forms (`＠`, `４`,
 * `ﬁ`) match the same patterns as their plain equivalents; a model reads them as the same
 * characters, so a mask that misses them leaks the value.
 */
export interface NormalisedText {
  text: string;
  /** Maps a span of `text` back to the span of the original that produced it. */
  toOriginal(start: number, end: number): { start: number; end: number };
}

// A base character and the combining marks after it: NFKC composes within such a cluster, so each
// one normalises on its own and the result still lines up with the original.
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;

/**
 * NFKC changes lengths (`ﬁ` → `fi`, `㍻` → `平成`, `e` + U+0301 → `é`), so the offsets of a finding
 * in the normalised text are not offsets into the original; masking cuts the original, whose values
 * the vault must restore as they were. Each normalised unit remembers the original cluster it came
 * from, and a span maps to the clusters it touches.
 */
export function normalise(original: string): NormalisedText {
  const text = original.normalize('NFKC');
  if (text === original) return { text, toOriginal: (start, end) => ({ start, end }) };
  let out = '';
  // For each UTF-16 unit of `out` (and one past the end): the original cluster's start and end.
  const from: number[] = [];
  const to: number[] = [];
  for (const m of original.matchAll(CLUSTER)) {
    const piece = m[0].normalize('NFKC');
    for (let i = 0; i < piece.length; i++) {
      from.push(m.index);
      to.push(m.index + m[0].length);
    }
    out += piece;
  }
  return {
    text: out,
    toOriginal: (start, end) => ({
      start: start < from.length ? from[start]! : original.length,
      end: end > 0 ? to[end - 1]! : 0,
    }),
  };
}
