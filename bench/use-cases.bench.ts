import { type Database, type NewEvent, PostgresEventStore } from '../core/src/index.js';
import {
  decodeUseCaseCursor,
  listUseCaseRuns,
  listUseCases,
  rebuildProjections,
} from '../projections/src/index.js';
import { callCompleted } from '../projections/src/testing/index.js';
import { useCaseLife } from '../projections/src/testing/use-cases.js';
import type { Bench, BenchResult } from './report.js';
import { withScratchDatabase } from './scratch-database.js';
import { percentile } from './support.js';

// The use-case register's read side: how long a page of the list takes over many cases, and how long a
// busy case's linked runs take with their subtree cost (a recursive walk per run over the runs table).

const user = { kind: 'user' as const, id: 'usr_1' };

/** One workflow-like run that names the case, with one nested skill run that made one call. */
function linkedRun(useCaseId: string, i: number): NewEvent[] {
  const runId = `run_${useCaseId}_${i}`;
  const child = `${runId}_step`;
  return [
    {
      type: 'cp.run.started',
      subject: `run/${runId}`,
      actor: user,
      meta: { runId },
      data: { kind: 'workflow', name: 'screen', useCaseId },
    },
    {
      type: 'cp.run.started',
      subject: `run/${child}`,
      actor: user,
      meta: { runId: child, parentRunId: runId },
      data: { kind: 'skill', name: 'intake.classify_use_case' },
    },
    callCompleted({ id: `${child}_call`, costMicros: 1_000 + i, runId: child }),
    {
      type: 'cp.run.completed',
      subject: `run/${child}`,
      actor: user,
      meta: { runId: child },
      data: { status: 'succeeded' },
    },
    {
      type: 'cp.run.completed',
      subject: `run/${runId}`,
      actor: user,
      meta: { runId },
      data: { status: 'succeeded' },
    },
  ];
}

async function timed(times: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function measure(
  driver: string,
  database: Database,
  sizes: { cases: number; busyRuns: number },
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const clock = { now: new Date('2026-03-01T00:00:00Z') };
  const store = await PostgresEventStore.open({ database, now: () => clock.now });
  const org = 'org_bench';
  const append = async (events: NewEvent[]) => {
    for (let i = 0; i < events.length; i += 2_000) {
      clock.now = new Date(clock.now.getTime() + 1_000);
      await store.append({ org, events: events.slice(i, i + 2_000) });
    }
  };
  const cases: NewEvent[] = [];
  for (let c = 0; c < sizes.cases; c++) cases.push(...useCaseLife(`uc_${c}`));
  await append(cases);
  const busy: NewEvent[] = [...useCaseLife('uc_busy')];
  for (let r = 0; r < sizes.busyRuns; r++) busy.push(...linkedRun('uc_busy', r));
  await append(busy);
  log(`use-cases: ${sizes.cases} cases and a case with ${sizes.busyRuns} runs appended on ${driver}`);
  await rebuildProjections({ database, names: ['agent-runs', 'use-cases'], batchSize: 5_000 });

  const db = database.db;
  const first = await listUseCases(db, { org, status: 'in_review', limit: 50 });
  const list = await timed(40, () => listUseCases(db, { org, status: 'in_review', limit: 50 }));
  const middle = await listUseCases(db, { org, limit: Math.floor(sizes.cases / 2) });
  const after = decodeUseCaseCursor(middle.next ?? '');
  const deep = await timed(40, () => listUseCases(db, { org, limit: 50, after }));
  const runs = await timed(20, () => listUseCaseRuns(db, { org, useCaseId: 'uc_busy', limit: 50 }));
  const page = await listUseCaseRuns(db, { org, useCaseId: 'uc_busy', limit: 50 });
  await store.close();
  if (first.useCases.length !== 50 || page.runs.length !== 50) throw new Error('the bench data did not load');
  const label = `${driver}, ${sizes.cases.toLocaleString('en-US')} cases`;
  const busyLabel = `${driver}, a case with ${sizes.busyRuns.toLocaleString('en-US')} runs (+1 nested each)`;
  return [
    {
      bench: 'use-cases',
      case: `list page of 50, status filter, ${label}`,
      metric: 'p50',
      value: Math.round(percentile(list, 50) * 10) / 10,
      unit: 'ms',
    },
    {
      bench: 'use-cases',
      case: `list page of 50, status filter, ${label}`,
      metric: 'p95',
      value: Math.round(percentile(list, 95) * 10) / 10,
      unit: 'ms',
    },
    {
      bench: 'use-cases',
      case: `list page of 50 after a cursor, ${label}`,
      metric: 'p50',
      value: Math.round(percentile(deep, 50) * 10) / 10,
      unit: 'ms',
    },
    {
      bench: 'use-cases',
      case: `linked runs page of 50 with subtree cost and total, ${busyLabel}`,
      metric: 'p50',
      value: Math.round(percentile(runs, 50) * 10) / 10,
      unit: 'ms',
    },
    {
      bench: 'use-cases',
      case: `linked runs page of 50 with subtree cost and total, ${busyLabel}`,
      metric: 'p95',
      value: Math.round(percentile(runs, 95) * 10) / 10,
      unit: 'ms',
    },
  ];
}

const bench: Bench = async (ctx) => {
  const sizes = ctx.quick ? { cases: 500, busyRuns: 200 } : { cases: 5_000, busyRuns: 2_000 };
  const results = await withScratchDatabase(undefined, (db) => measure('pglite', db, sizes, ctx.log));
  if (ctx.databaseUrl)
    results.push(
      ...(await withScratchDatabase(ctx.databaseUrl, (db) => measure('postgres', db, sizes, ctx.log))),
    );
  else ctx.log('use-cases: DATABASE_URL unset, PostgreSQL half skipped');
  return results;
};

export default bench;
