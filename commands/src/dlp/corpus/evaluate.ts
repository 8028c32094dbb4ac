import { readFileSync } from 'node:fs';
import { scan } from '../scan.js';
import { ENTITY_TYPES, type EntityType } from '../types.js';

/** One labelled line: the text and every sensitive value in it (values, not offsets, so lines stay readable). */
export interface CorpusLine {
  text: string;
  entities: { type: EntityType; value: string }[];
}

export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface CorpusEvaluation {
  byType: Record<EntityType, Score>;
  overall: Score;
  lines: number;
}

/** The labelled corpus shipped beside this file. */
export function loadCorpus(): CorpusLine[] {
  const raw = readFileSync(new URL('./corpus.jsonl', import.meta.url), 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CorpusLine);
}

function score(tp: number, fp: number, fn: number): Score {
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

function expectedSpans(line: CorpusLine): { type: EntityType; start: number; end: number }[] {
  const spans: { type: EntityType; start: number; end: number }[] = [];
  for (const e of line.entities) {
    let from = 0;
    for (;;) {
      const at = line.text.indexOf(e.value, from);
      if (at === -1) break;
      if (!spans.some((s) => s.start === at))
        spans.push({ type: e.type, start: at, end: at + e.value.length });
      from = at + e.value.length;
      break;
    }
  }
  return spans;
}

/**
 * Precision and recall of `scan` per entity type. A finding counts when it overlaps a labelled value of the
 * same type; a labelled value counts as found when some such finding exists.
 */
export function evaluateCorpus(options: { lines: readonly CorpusLine[] }): CorpusEvaluation {
  const counts = new Map<EntityType, { tp: number; fp: number; fn: number }>(
    ENTITY_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]),
  );
  for (const line of options.lines) {
    const expected = expectedSpans(line);
    const found = scan(line.text);
    for (const f of found) {
      const hit = expected.some((e) => e.type === f.type && f.start < e.end && e.start < f.end);
      counts.get(f.type)![hit ? 'tp' : 'fp']++;
    }
    for (const e of expected) {
      const hit = found.some((f) => e.type === f.type && f.start < e.end && e.start < f.end);
      if (!hit) counts.get(e.type)!.fn++;
    }
  }
  const byType = {} as Record<EntityType, Score>;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [type, c] of counts) {
    byType[type] = score(c.tp, c.fp, c.fn);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return { byType, overall: score(tp, fp, fn), lines: options.lines.length };
}
