import { type Database, PostgresEventStore } from '../core/src/index.js';
import { rebuildProjections } from '../projections/src/index.js';
import { appendMixedEvents } from '../projections/src/testing/index.js';
import { createComplianceService } from '../server/src/compliance/service.js';
import type { Bench, BenchResult } from './report.js';
import { withScratchDatabase } from './scratch-database.js';
import { percentile } from './support.js';

// Compliance read side: rebuild throughput of the compliance projection (evidence rules evaluated over
// the log), and how long one framework's coverage takes to answer over that evidence.

async function measure(driver: string, database: Database, events: number, log: (l: string) => void) {
  const clock = { now: new Date('2026-03-01T00:00:00Z') };
  const store = await PostgresEventStore.open({ database, now: () => clock.now });
  const orgs = ['org_a', 'org_b', 'org_c', 'org_d'];
  await appendMixedEvents({
    store,
    clock,
    orgs,
    total: events,
    batchSize: 2_000,
    start: clock.now,
    stepMs: 3_600_000,
  });
  log(`compliance: ${events} events appended on ${driver}; rebuilding`);
  const rebuild = async () => {
    const started = performance.now();
    await rebuildProjections({ database, names: ['compliance'], batchSize: 5_000 });
    return events / ((performance.now() - started) / 1_000);
  };
  const first = await rebuild();
  const rate = await rebuild();
  const service = createComplianceService({ db: database.db, store });
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    await service.coverage('org_a', 'eu-ai-act-2024-1689');
    times.push(performance.now() - started);
  }
  await store.close();
  const perOrg = events / orgs.length;
  const results: BenchResult[] = [
    {
      bench: 'compliance',
      case: `rebuild compliance, ${driver}, ${events.toLocaleString('en-US')} events (second rebuild; first ${Math.round(first).toLocaleString('en-US')}/s)`,
      metric: 'throughput',
      value: Math.round(rate),
      unit: 'events/s',
    },
    {
      bench: 'compliance',
      case: `coverage of EU AI Act (121 controls), ${driver}, one org of ~${perOrg.toLocaleString('en-US')} events`,
      metric: 'p95 of 40 requests (p50 as baseline)',
      value: Math.round(percentile(times, 95) * 10) / 10,
      baseline: Math.round(percentile(times, 50) * 10) / 10,
      unit: 'ms',
    },
  ];
  return results;
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  const events = ctx.quick ? 8_000 : 40_000;
  results.push(...(await withScratchDatabase(undefined, (db) => measure('pglite', db, events / 2, ctx.log))));
  if (ctx.databaseUrl)
    results.push(
      ...(await withScratchDatabase(ctx.databaseUrl, (db) => measure('postgres', db, events, ctx.log))),
    );
  else ctx.log('compliance: DATABASE_URL unset, the PostgreSQL half is skipped');
  return results;
};

export default bench;
