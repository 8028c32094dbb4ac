import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import {
  chunkBlocks,
  demoEmbedding,
  floatArrayStore,
  markdownBlocks,
  migrateDocuments,
  pgvectorStore,
  type QueryEmbedder,
  retrieveForCase,
  type VectorStore,
  writeChunks,
} from '../commands/src/documents/index.js';
import { createEmbeddings } from '../commands/src/providers/embeddings.js';
import { type Database, openDatabase } from '../core/src/store/postgres/database.js';
import type { Bench, BenchResult } from './report.js';
import { percentile } from './support.js';

// Retrieval quality on the labelled corpus (recall@5 and MRR per mode, demo embedder and, with a key,
// a real embedding model) and hybrid search latency on 10,000 chunks in one case.
const corpusDir = new URL('./retrieval-corpus/', import.meta.url);
const documents = readFileSync(new URL('documents.jsonl', corpusDir), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; title: string; text: string });
const queries = JSON.parse(readFileSync(new URL('queries.json', corpusDir), 'utf8')) as {
  query: string;
  relevant: string[];
}[];

const ORG = 'org_bench';
const MODES = ['lexical', 'vector', 'hybrid'] as const;
type Embed = (texts: string[]) => Promise<number[][]>;

const demoEmbed: Embed = async (texts) => texts.map(demoEmbedding);

async function indexCorpus(options: {
  db: Database;
  vectors: VectorStore;
  useCaseId: string;
  embedder: string;
  embed: Embed;
}) {
  const chunks = documents.flatMap((d) =>
    chunkBlocks(markdownBlocks(`# ${d.title}\n\n${d.text}`)).map((c) => ({
      id: `${d.id}:${c.index}`,
      documentId: d.id,
      index: c.index,
      text: c.text,
    })),
  );
  const vectors = await options.embed(chunks.map((c) => c.text));
  await sql`INSERT INTO documents (id, org, use_case_id, title, type, sha256, size_bytes, characters, chunks, embedder,
    uploaded_by, uploaded_at) SELECT t.id, ${ORG}, ${options.useCaseId}, t.title, 'markdown', repeat('0', 64), 0, 0, 1,
    ${options.embedder}, 'bench', now() FROM unnest(${documents.map((d) => `${options.useCaseId}/${d.id}`)}::text[],
    ${documents.map((d) => d.title)}::text[]) AS t(id, title)`.execute(options.db.db);
  const scoped = chunks.map((c) => ({
    ...c,
    id: `${options.useCaseId}/${c.id}`,
    documentId: `${options.useCaseId}/${c.documentId}`,
  }));
  await writeChunks({ db: options.db.db, org: ORG, useCaseId: options.useCaseId, chunks: scoped });
  await options.vectors.upsert({
    scope: { org: ORG, useCaseId: options.useCaseId, embedder: options.embedder },
    points: scoped.map((c, i) => ({ chunkId: c.id, documentId: c.documentId, vector: vectors[i]! })),
  });
}

async function quality(options: {
  db: Database;
  vectors: VectorStore;
  label: string;
  embedder: string;
  embed: Embed;
}) {
  const useCaseId = `uc_${options.label.replace(/[^a-z0-9]/gi, '_')}`;
  await indexCorpus({ ...options, useCaseId });
  const embedQuery: QueryEmbedder = async ({ text }) => (await options.embed([text]))[0]!;
  const figures: Record<string, { recall5: number; mrr: number }> = {};
  for (const mode of MODES) {
    let found = 0;
    let reciprocal = 0;
    for (const q of queries) {
      const hits = await retrieveForCase({
        db: options.db.db,
        vectors: options.vectors,
        embedQuery,
        org: ORG,
        useCaseId,
        query: q.query,
        k: 10,
        mode,
      });
      // Ranks are by document: a document's first chunk counts, later chunks of it do not.
      const ranked = [...new Set(hits.map((h) => h.documentId.slice(useCaseId.length + 1)))];
      const rank = ranked.findIndex((id) => q.relevant.includes(id));
      if (rank >= 0 && rank < 5) found += 1;
      if (rank >= 0) reciprocal += 1 / (rank + 1);
    }
    figures[mode] = { recall5: found / queries.length, mrr: reciprocal / queries.length };
  }
  const best = (m: 'recall5' | 'mrr') => Math.max(figures.lexical![m], figures.vector![m]);
  const results: BenchResult[] = [];
  for (const mode of MODES)
    for (const metric of ['recall5', 'mrr'] as const)
      results.push({
        bench: 'retrieval',
        case: `${options.label} ${mode}`,
        metric: metric === 'recall5' ? 'recall@5' : 'MRR@10',
        value: Math.round(figures[mode]![metric] * 1000) / 1000,
        unit: '',
        ...(mode === 'hybrid'
          ? {
              target: `>= ${best(metric).toFixed(3)} (better single)`,
              pass: figures.hybrid![metric] >= best(metric),
            }
          : {}),
      });
  return results;
}

/** Synthetic chunks in one case: corpus sentences recombined with numbered terms, so postings are realistic. */
function syntheticChunks(n: number): string[] {
  const sentences = documents.flatMap((d) => d.text.split(/(?<=\.)\s+/));
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) => {
    const parts = Array.from({ length: 4 }, () => sentences[Math.floor(random() * sentences.length)]!);
    return `Section ${i % 97} > Topic ${i % 13}\n\n${parts.join(' ')} Reference term${i % 500} and item${i}.`;
  });
}

async function latency(options: {
  db: Database;
  vectors: VectorStore;
  chunks: number;
  label: string;
  log: (s: string) => void;
}) {
  const useCaseId = 'uc_latency';
  const texts = syntheticChunks(options.chunks);
  const embedder = 'demo/hashed-ngrams-384';
  const batch = 1000;
  for (let i = 0; i < texts.length; i += batch) {
    const rows = texts.slice(i, i + batch).map((text, j) => ({
      id: `lat:${i + j}`,
      documentId: `lat-doc-${Math.floor((i + j) / 20)}`,
      index: (i + j) % 20,
      text,
    }));
    await writeChunks({ db: options.db.db, org: ORG, useCaseId, chunks: rows });
    await options.vectors.upsert({
      scope: { org: ORG, useCaseId, embedder },
      points: rows.map((r) => ({ chunkId: r.id, documentId: r.documentId, vector: demoEmbedding(r.text) })),
    });
  }
  const docs = [
    ...new Set(Array.from({ length: options.chunks }, (_, i) => `lat-doc-${Math.floor(i / 20)}`)),
  ];
  await sql`INSERT INTO documents (id, org, use_case_id, title, type, sha256, size_bytes, characters, chunks, embedder,
    uploaded_by, uploaded_at) SELECT t.id, ${ORG}, ${useCaseId}, t.id, 'text', repeat('0', 64), 0, 0, 20, ${embedder},
    'bench', now() FROM unnest(${docs}::text[]) AS t(id)`.execute(options.db.db);
  await sql`ANALYZE`.execute(options.db.db);
  const embedQuery: QueryEmbedder = async ({ text }) => demoEmbedding(text);
  const results: BenchResult[] = [];
  for (const mode of MODES) {
    const times: number[] = [];
    const rounds = queries.length * 4;
    for (let i = 0; i < rounds + 10; i++) {
      const q = queries[i % queries.length]!.query;
      const started = performance.now();
      await retrieveForCase({
        db: options.db.db,
        vectors: options.vectors,
        embedQuery,
        org: ORG,
        useCaseId,
        query: q,
        k: 5,
        mode,
      });
      if (i >= 10) times.push(performance.now() - started);
    }
    const p50 = percentile(times, 50);
    options.log(
      `${options.label} ${mode} on ${options.chunks} chunks: p50 ${p50.toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
    );
    results.push(
      {
        bench: 'retrieval',
        case: `${options.label} ${mode} ${options.chunks} chunks`,
        metric: 'p50',
        value: Math.round(p50 * 10) / 10,
        unit: 'ms',
        ...(mode === 'hybrid' && options.label === 'pglite' ? { target: '<= 20 ms', pass: p50 <= 20 } : {}),
      },
      {
        bench: 'retrieval',
        case: `${options.label} ${mode} ${options.chunks} chunks`,
        metric: 'p95',
        value: Math.round(percentile(times, 95) * 10) / 10,
        unit: 'ms',
      },
    );
  }
  return results;
}

/** A real embedding model when a key is set: OpenAI's text-embedding-3-small, or Gemini's text-embedding-004. */
function realEmbedder(): { label: string; embed: Embed } | undefined {
  const openai = process.env.OPENAI_API_KEY;
  const gemini = process.env.GEMINI_API_KEY ?? process.env.GOOGLE_GENERATIVE_AI_API_KEY;
  const provider = openai ? 'openai' : gemini ? 'gemini' : undefined;
  if (!provider) return undefined;
  const model = provider === 'openai' ? 'text-embedding-3-small' : 'text-embedding-004';
  const embed = createEmbeddings({
    config: { [provider]: { apiKey: (openai ?? gemini)! } },
    retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_000, timeoutMs: 30_000 },
  });
  return {
    label: `${provider}/${model}`,
    embed: async (texts) => {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += 64)
        out.push(...(await embed({ provider, model, values: texts.slice(i, i + 64) })).embeddings);
      return out;
    },
  };
}

async function open(url?: string) {
  const db = await openDatabase(url ? { url } : {});
  const { vectors: column } = await migrateDocuments(db.db);
  return { db, vectors: column === 'pgvector' ? pgvectorStore(db.db) : floatArrayStore(db.db), column };
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  const { db, vectors } = await open();
  try {
    ctx.log(`retrieval corpus: ${documents.length} documents, ${queries.length} queries`);
    results.push(
      ...(await quality({
        db,
        vectors,
        label: 'demo embedder (hashed n-grams)',
        embedder: 'demo/hashed-ngrams-384',
        embed: demoEmbed,
      })),
    );
    const real = realEmbedder();
    if (real)
      results.push(
        ...(await quality({ db, vectors, label: real.label, embedder: real.label, embed: real.embed })),
      );
    else
      ctx.log(
        'retrieval with a real embedding model: skipped (set OPENAI_API_KEY or GEMINI_API_KEY to run it)',
      );
    results.push(
      ...(await latency({ db, vectors, chunks: ctx.quick ? 2_000 : 10_000, label: 'pglite', log: ctx.log })),
    );
  } finally {
    await db.close();
  }
  if (ctx.databaseUrl) {
    // A database of its own, dropped after: the bench never touches tables of the server it is given.
    const { default: pg } = await import('pg');
    const name = `pp_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ctx.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const target = new URL(ctx.databaseUrl);
    target.pathname = `/${name}`;
    const fresh = await open(target.toString());
    try {
      results.push(
        ...(await latency({
          db: fresh.db,
          vectors: fresh.vectors,
          chunks: ctx.quick ? 2_000 : 10_000,
          label: `postgres ${fresh.column}`,
          log: ctx.log,
        })),
      );
    } finally {
      await fresh.db.close();
      await new Promise((resolve) => setTimeout(resolve, 250));
      await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      await admin.end();
    }
  } else ctx.log('retrieval on PostgreSQL: skipped (set DATABASE_URL)');
  return results;
};

export default bench;
