/**
 * The lexical analyser BM25 counts terms with: Unicode NFKC, lower case, runs of letters and digits,
 * English stop words dropped, and a light plural fold (`policies` → `policy`, `controls` → `control`).
 * Deliberately simple and documented (docs/documents.md): queries and chunks go through the same one.
 */
const STOP = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'may might must no not of on or our shall should so such than that the their them then there these they ' +
    'this those to was we were what when where which who whom why will with would you your'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function fold(term: string): string {
  if (term.length > 4 && term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.length > 4 && /(?:ss|us|is)$/.test(term)) return term;
  if (term.length > 3 && term.endsWith('s')) return term.slice(0, -1);
  return term;
}

export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const [word] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    const bare = word.replace(/['’]s$/, '');
    if (bare.length === 0 || bare.length > 64 || STOP.has(bare)) continue;
    terms.push(fold(bare));
  }
  return terms;
}

/** Term frequencies of a chunk, and its length in terms (BM25's document length). */
export function termCounts(text: string): { counts: Map<string, number>; length: number } {
  const terms = analyze(text);
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { counts, length: terms.length };
}
