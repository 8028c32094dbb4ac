/** Lower-case word tokens of at least two characters; placeholders like [EMAIL_1] count as one word. */
export function tokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.toLowerCase().matchAll(/\[[a-z_]+\d*\]|[\p{L}\p{N}_./-]{2,}/gu)) {
    out.add(match[0].replace(/_\d+\]$/, ']'));
  }
  return out;
}

/** Jaccard similarity of two token sets: 1 for the same words, 0 for none in common. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const token of small) if (large.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}
