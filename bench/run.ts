import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Bench, type BenchResult, printTable } from './report.js';

// Runs every bench/*.bench.ts (or those whose name contains an argument), prints a table and JSON lines.
const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const ctx = {
  databaseUrl: process.env.DATABASE_URL,
  quick: process.env.BENCH_QUICK === '1',
  log: (line: string) => process.stderr.write(`${line}\n`),
};

const all: BenchResult[] = [];
for (const file of files) {
  ctx.log(`# ${file}`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  const results = await mod.default(ctx);
  for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  all.push(...results);
}
process.stdout.write(`\n${printTable(all)}\n`);
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(join(here, 'out', 'results.jsonl'), all.map((r) => JSON.stringify(r)).join('\n') + '\n');
