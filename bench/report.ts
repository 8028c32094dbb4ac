/** One measured figure. `baseline` is the comparison measured in the same run, when the issue asks for one. */
export interface BenchResult {
  bench: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
  pass?: boolean;
}

export interface BenchContext {
  /** Postgres URL when the run has one (DATABASE_URL); benches that need it skip that half otherwise and say so. */
  databaseUrl: string | undefined;
  /** Quick mode (BENCH_QUICK=1) shrinks volumes so the whole suite runs in a minute. */
  quick: boolean;
  log: (line: string) => void;
}

export type Bench = (ctx: BenchContext) => Promise<BenchResult[]>;

const fmt = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function printTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.bench,
    r.case,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const head = ['bench', 'case', 'metric', 'value', 'baseline', 'target', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
