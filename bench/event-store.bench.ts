import { hash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase, PostgresEventStore } from '@proofpane/core';
import { noted, testCatalogue } from '@proofpane/core/testing';
import { sql } from 'kysely';
import pg from 'pg';
import type { Bench, BenchContext, BenchResult } from './report.js';

const actor = { kind: 'system' as const, id: 'bench' };

interface Target {
  name: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

function targets(ctx: BenchContext): Target[] {
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-'));
  const list: Target[] = [
    {
      name: 'pglite',
      open: () => openDatabase({ dataDir: join(dir, `pglite-${Date.now()}`) }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    },
  ];
  if (ctx.databaseUrl) {
    const admin = ctx.databaseUrl;
    const name = `pp_bench_${Date.now().toString(36)}`;
    list.push({
      name: 'postgres',
      open: async () => {
        const client = new pg.Client({ connectionString: admin });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${name}`);
        await client.end();
        const url = new URL(admin);
        url.pathname = `/${name}`;
        return openDatabase({ url: url.toString(), poolSize: 10 });
      },
      cleanup: async () => {
        const client = new pg.Client({ connectionString: admin });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    });
  } else {
    ctx.log('DATABASE_URL unset: PostgreSQL figures skipped');
  }
  return list;
}

async function createPlainTable(database: Database) {
  await sql`CREATE TABLE IF NOT EXISTS events_plain (LIKE events INCLUDING DEFAULTS INCLUDING INDEXES)`.execute(
    database.db,
  );
}

/** The baseline: the same rows, built the same way, in one INSERT each; no hashing, no reads, no locks. */
async function plainInsert(database: Database, org: string, startSeq: number, count: number) {
  const time = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, i) => {
    const seq = startSeq + i;
    const envelope = {
      org,
      seq,
      id: randomUUID(),
      type: 'cp.test.noted',
      subject: `item/${i % 50}`,
      subjectVersion: seq,
      time,
      actor,
      data: { n: i },
      meta: {},
      prev: '0'.repeat(64),
    };
    return { ...envelope, body: JSON.stringify(envelope) };
  });
  await sql`
    INSERT INTO events_plain (org, seq, id, type, subject, subject_version, time, body, prev, hash)
    SELECT ${org}, * FROM unnest(
      ${rows.map((r) => r.seq)}::bigint[], ${rows.map((r) => r.id)}::uuid[],
      ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.subject)}::text[],
      ${rows.map((r) => r.subjectVersion)}::int[], ${rows.map((r) => r.time)}::timestamptz[],
      ${rows.map((r) => r.body)}::text[], ${rows.map((r) => r.prev)}::text[], ${rows.map(() => 'f'.repeat(64))}::text[])`.execute(
    database.db,
  );
}

async function measure(lanes: number, perLane: number, step: (lane: number, i: number) => Promise<void>) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = 0; i < perLane; i++) await step(lane, i);
    }),
  );
  return (performance.now() - started) / 1000;
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  for (const target of targets(ctx)) {
    const database = await target.open();
    const store = await PostgresEventStore.open({ database, catalogue: testCatalogue });
    await createPlainTable(database);
    for (const batch of [1, 100]) {
      for (const orgs of [1, 8]) {
        const totalEvents = ctx.quick ? (batch === 1 ? 400 : 8_000) : batch === 1 ? 2_000 : 80_000;
        const perLane = Math.max(1, Math.round(totalEvents / batch / orgs));
        const events = Array.from({ length: batch }, (_, i) => noted(i, `item/${i % 50}`));
        const chainedSeconds = await measure(orgs, perLane, async (lane) => {
          await store.append({ org: `org_b${batch}_${orgs}_${lane}`, events });
        });
        const seq = new Map<number, number>();
        const plainSeconds = await measure(orgs, perLane, async (lane) => {
          const start = (seq.get(lane) ?? 0) + 1;
          seq.set(lane, start + batch - 1);
          await plainInsert(database, `org_p${batch}_${orgs}_${lane}`, start, batch);
        });
        const n = perLane * orgs * batch;
        const chained = Math.round(n / chainedSeconds);
        const plain = Math.round(n / plainSeconds);
        results.push({
          bench: 'event-store',
          case: `${target.name} batch=${batch} orgs=${orgs}`,
          metric: 'appends/s (chained vs plain INSERT)',
          value: chained,
          baseline: plain,
          unit: 'events/s',
          ...(batch === 100 ? { target: '>= 0.7 x plain', pass: chained >= 0.7 * plain } : {}),
        });
        ctx.log(`${target.name} batch=${batch} orgs=${orgs}: chained ${chained}/s, plain ${plain}/s`);
      }
    }

    const verifyOrg = 'org_verify';
    const verifyCount = ctx.quick ? 20_000 : 200_000;
    const chunk = Array.from({ length: 1_000 }, (_, i) => noted(i, `item/${i}`));
    for (let i = 0; i < verifyCount / 1_000; i++) await store.append({ org: verifyOrg, events: chunk });
    const t0 = performance.now();
    const verification = await store.verifyChain({ org: verifyOrg });
    const verifySeconds = (performance.now() - t0) / 1000;
    const { rows } = await sql<{ body: string }>`SELECT body FROM events WHERE org = ${verifyOrg}`.execute(
      database.db,
    );
    const t1 = performance.now();
    for (const row of rows) hash('sha256', row.body, 'hex');
    const hashSeconds = (performance.now() - t1) / 1000;
    results.push({
      bench: 'event-store',
      case: `${target.name} verifyChain ${verifyCount.toLocaleString('en-US')} events`,
      metric: 'events/s (vs raw SHA-256 of the same bytes)',
      value: Math.round(verification.checked / verifySeconds),
      baseline: Math.round(rows.length / hashSeconds),
      unit: 'events/s',
      target: '>= 100,000',
      pass: verification.ok && verification.checked / verifySeconds >= 100_000,
    });

    await store.close();
    await database.close();
    await target.cleanup();
  }
  results.push(...(await memoryFlatness(ctx)));
  return results;
};

/** Resident memory while appending a million events (in batches of 1,000) to PGlite on disk. */
async function memoryFlatness(ctx: BenchContext): Promise<BenchResult[]> {
  const total = ctx.quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-rss-'));
  const database = await openDatabase({ dataDir: join(dir, 'pglite') });
  const store = await PostgresEventStore.open({ database, catalogue: testCatalogue });
  const batch = Array.from({ length: 1_000 }, (_, i) => noted(i, `item/${i}`));
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 1; i <= total / 1_000; i++) {
    await store.append({ org: `org_rss_${i % 4}`, events: batch });
    if (i % (total / 10_000) === 0) {
      global.gc?.();
      samples.push(process.memoryUsage().rss);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  const settled = samples.slice(2);
  const first = settled[0] ?? 0;
  const max = Math.max(...settled);
  const growth = first > 0 ? ((max - first) / first) * 100 : 0;
  ctx.log(`rss samples (MB): ${samples.map((s) => Math.round(s / 1_048_576)).join(' ')}`);
  return [
    {
      bench: 'event-store',
      case: `pglite ${total.toLocaleString('en-US')} appends, batch 1,000 (${Math.round(total / seconds)} events/s)`,
      metric: 'RSS growth after warm-up',
      value: Math.round(growth * 10) / 10,
      baseline: Math.round(first / 1_048_576),
      unit: '% (baseline: MB at warm-up)',
      target: '<= 10%',
      pass: growth <= 10,
    },
  ];
}

export default bench;
