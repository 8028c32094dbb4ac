import { ENTITY_TYPES, evaluateCorpus, loadCorpus, scan } from '../commands/src/dlp/index.js';
import type { Bench, BenchResult } from './report.js';

// DLP quality on the labelled corpus (precision and recall per type and overall) and scan throughput.
const bench: Bench = async (ctx) => {
  const lines = loadCorpus();
  const evaluation = evaluateCorpus({ lines });
  const results: BenchResult[] = [];
  const target = '>= 0.95';
  for (const type of ENTITY_TYPES) {
    const s = evaluation.byType[type];
    results.push(
      {
        bench: 'dlp',
        case: type,
        metric: 'precision',
        value: s.precision,
        unit: '',
        target,
        pass: s.precision >= 0.95,
      },
      {
        bench: 'dlp',
        case: type,
        metric: 'recall',
        value: s.recall,
        unit: '',
        target,
        pass: s.recall >= 0.95,
      },
    );
  }
  const o = evaluation.overall;
  results.push(
    {
      bench: 'dlp',
      case: 'overall',
      metric: 'precision',
      value: o.precision,
      unit: '',
      target,
      pass: o.precision >= 0.95,
    },
    {
      bench: 'dlp',
      case: 'overall',
      metric: 'recall',
      value: o.recall,
      unit: '',
      target,
      pass: o.recall >= 0.95,
    },
  );
  ctx.log(
    `dlp corpus: ${lines.length} lines, tp=${o.truePositives} fp=${o.falsePositives} fn=${o.falseNegatives}`,
  );

  const corpusText = lines.map((l) => l.text).join('\n');
  const prose =
    'The quarterly report covers revenue, churn and the roadmap for the next release. ' +
    'Engineering shipped version 4.2.1 on 2024-05-02 and closed ticket 88123. ';
  const cases: [string, string][] = [
    ['corpus text (dense)', corpusText],
    ['plain prose (sparse)', prose.repeat(Math.ceil(corpusText.length / prose.length))],
  ];
  const rounds = ctx.quick ? 20 : 60;
  for (const [name, text] of cases) {
    scan(text);
    const bytes = Buffer.byteLength(text) * rounds;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) scan(text);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    results.push({
      bench: 'dlp',
      case: name,
      metric: 'scan throughput',
      value: bytes / 1e6 / seconds,
      unit: 'MB/s',
    });
  }
  return results;
};

export default bench;
