import type { L3Result } from '../check.js';
import type { FrameworkKey } from '../patterns.js';
import corpusJson from './l3-corpus.json' with { type: 'json' };

export const CORPUS_KINDS = ['real', 'fake', 'misattributed', 'negative', 'mixed'] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

/** One labelled snippet: the text, an optional framework hint, and the findings L3 must report. */
export interface CorpusCase {
  id: string;
  kind: CorpusKind;
  text: string;
  framework?: FrameworkKey;
  expect: L3Result;
}

export const l3Corpus = corpusJson as { description: string; version: number; cases: CorpusCase[] };

/** The finding kinds precision and recall are counted per. */
export const LABELS = ['cited', 'unknown', 'misattributed'] as const;
export type Label = (typeof LABELS)[number];

/** Each finding of a result as one comparable key, by label. */
export function findingKeys(result: L3Result): Record<Label, string[]> {
  return {
    cited: result.cited,
    unknown: result.unknown.map((u) => `${u.framework}|${u.text}`),
    misattributed: result.misattributed.map((m) => `${m.named}|${m.actual}|${m.text}`),
  };
}

export interface Tally {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export const precisionOf = (t: Tally) =>
  t.truePositives + t.falsePositives === 0 ? 1 : t.truePositives / (t.truePositives + t.falsePositives);
export const recallOf = (t: Tally) =>
  t.truePositives + t.falseNegatives === 0 ? 1 : t.truePositives / (t.truePositives + t.falseNegatives);

/**
 * Scores a checker over the corpus: per label and overall, a found finding the case expects is a true
 * positive, one it does not a false positive, an expected one not found a false negative.
 */
export function scoreCorpus(check: (c: CorpusCase) => L3Result): {
  byLabel: Record<Label, Tally>;
  overall: Tally;
  misses: { id: string; label: Label; missing: string[]; extra: string[] }[];
} {
  const empty = (): Tally => ({ truePositives: 0, falsePositives: 0, falseNegatives: 0 });
  const byLabel: Record<Label, Tally> = { cited: empty(), unknown: empty(), misattributed: empty() };
  const overall = empty();
  const misses: { id: string; label: Label; missing: string[]; extra: string[] }[] = [];
  for (const c of l3Corpus.cases) {
    const found = findingKeys(check(c));
    const expected = findingKeys(c.expect);
    for (const label of LABELS) {
      const want = new Set(expected[label]);
      const got = new Set(found[label]);
      const hits = [...got].filter((k) => want.has(k)).length;
      const extra = [...got].filter((k) => !want.has(k));
      const missing = [...want].filter((k) => !got.has(k));
      for (const t of [byLabel[label], overall]) {
        t.truePositives += hits;
        t.falsePositives += extra.length;
        t.falseNegatives += missing.length;
      }
      if (extra.length > 0 || missing.length > 0) misses.push({ id: c.id, label, missing, extra });
    }
  }
  return { byLabel, overall, misses };
}
