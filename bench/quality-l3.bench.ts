import { checkText } from '../commands/src/quality/check.js';
import {
  LABELS,
  l3Corpus,
  precisionOf,
  recallOf,
  scoreCorpus,
  type Tally,
} from '../commands/src/quality/testing/corpus.js';
import type { Bench, BenchResult } from './report.js';

// L3 closed-set membership (docs/quality.md): precision and recall of the extractor and checker over the
// labelled corpus, per finding kind and overall, against 0.97 each; and how fast a long answer is scanned.

const TARGET = 0.97;
const round = (n: number) => Math.round(n * 1000) / 1000;

function figures(label: string, tally: Tally): BenchResult[] {
  const counts = `${tally.truePositives} TP, ${tally.falsePositives} FP, ${tally.falseNegatives} FN`;
  const precision = precisionOf(tally);
  const recall = recallOf(tally);
  return [
    {
      bench: 'quality-l3',
      case: `${label} (${counts})`,
      metric: 'precision',
      value: round(precision),
      unit: '',
      target: `≥ ${TARGET}`,
      pass: precision >= TARGET,
    },
    {
      bench: 'quality-l3',
      case: `${label} (${counts})`,
      metric: 'recall',
      value: round(recall),
      unit: '',
      target: `≥ ${TARGET}`,
      pass: recall >= TARGET,
    },
  ];
}

const bench: Bench = async (ctx) => {
  const scored = scoreCorpus((c) => checkText({ text: c.text, framework: c.framework }));
  for (const miss of scored.misses)
    ctx.log(
      `quality-l3: ${miss.id} ${miss.label}: missing ${JSON.stringify(miss.missing)}, extra ${JSON.stringify(miss.extra)}`,
    );
  const results: BenchResult[] = [
    ...LABELS.flatMap((label) => figures(label, scored.byLabel[label])),
    ...figures(`overall, ${l3Corpus.cases.length} snippets`, scored.overall),
  ];

  // A long answer: the whole corpus joined, repeated to ~100,000 characters (the route's bound).
  const joined = l3Corpus.cases.map((c) => c.text).join('\n');
  const text = joined.repeat(Math.ceil(100_000 / joined.length)).slice(0, 100_000);
  const rounds = ctx.quick ? 5 : 20;
  checkText({ text });
  const started = performance.now();
  for (let i = 0; i < rounds; i++) checkText({ text });
  const ms = (performance.now() - started) / rounds;
  results.push({
    bench: 'quality-l3',
    case: 'one 100,000-character text, extract and check',
    metric: `mean of ${rounds}`,
    value: Math.round(ms * 10) / 10,
    unit: 'ms',
  });
  return results;
};

export default bench;
