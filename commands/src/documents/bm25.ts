import { type Kysely, sql } from 'kysely';
import { analyze, termCounts } from './analyze.js';

/** Okapi BM25's parameters, the usual defaults (Robertson and Zaragoza, 2009). */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

export interface ChunkRow {
  id: string;
  documentId: string;
  index: number;
  text: string;
}

const BATCH = 1_000;

/** A case's chunks and their postings (term, count, chunk length), written with the caller's executor. */
export async function writeChunks(options: {
  db: Kysely<unknown>;
  org: string;
  useCaseId: string;
  chunks: readonly ChunkRow[];
}): Promise<void> {
  const { db, org, useCaseId, chunks } = options;
  const postings: { term: string; chunkId: string; documentId: string; tf: number; dl: number }[] = [];
  const lengths: number[] = [];
  for (const chunk of chunks) {
    const { counts, length } = termCounts(chunk.text);
    lengths.push(length);
    for (const [term, tf] of counts)
      postings.push({ term, chunkId: chunk.id, documentId: chunk.documentId, tf, dl: length });
  }
  for (let i = 0; i < chunks.length; i += BATCH) {
    const batch = chunks.slice(i, i + BATCH);
    await sql`INSERT INTO document_chunks (id, org, use_case_id, document_id, idx, text, terms)
      SELECT t.id, ${org}, ${useCaseId}, t.document_id, t.idx, t.text, t.terms
      FROM unnest(${batch.map((c) => c.id)}::text[], ${batch.map((c) => c.documentId)}::text[],
        ${batch.map((c) => c.index)}::int[], ${batch.map((c) => c.text)}::text[],
        ${lengths.slice(i, i + BATCH)}::int[]) AS t(id, document_id, idx, text, terms)`.execute(db);
  }
  await sql`INSERT INTO document_case_stats (org, use_case_id, chunks, terms)
    VALUES (${org}, ${useCaseId}, ${chunks.length}, ${lengths.reduce((a, b) => a + b, 0)})
    ON CONFLICT (org, use_case_id) DO UPDATE SET chunks = document_case_stats.chunks + excluded.chunks,
      terms = document_case_stats.terms + excluded.terms`.execute(db);
  for (let i = 0; i < postings.length; i += BATCH * 5) {
    const batch = postings.slice(i, i + BATCH * 5);
    await sql`INSERT INTO document_terms (org, use_case_id, term, chunk_id, document_id, tf, dl)
      SELECT ${org}, ${useCaseId}, t.term, t.chunk_id, t.document_id, t.tf, t.dl
      FROM unnest(${batch.map((p) => p.term)}::text[], ${batch.map((p) => p.chunkId)}::text[],
        ${batch.map((p) => p.documentId)}::text[], ${batch.map((p) => p.tf)}::int[],
        ${batch.map((p) => p.dl)}::int[]) AS t(term, chunk_id, document_id, tf, dl)`.execute(db);
  }
}

export async function deleteChunks(options: {
  db: Kysely<unknown>;
  org: string;
  useCaseId: string;
  documentId: string;
}): Promise<number> {
  const { db, org, useCaseId, documentId } = options;
  await sql`DELETE FROM document_terms WHERE org = ${org} AND use_case_id = ${useCaseId}
    AND document_id = ${documentId}`.execute(db);
  const { rows } = await sql<{ chunks: number; terms: number }>`WITH gone AS (DELETE FROM document_chunks
    WHERE org = ${org} AND use_case_id = ${useCaseId} AND document_id = ${documentId} RETURNING terms)
    SELECT count(*)::int AS chunks, coalesce(sum(terms), 0)::int AS terms FROM gone`.execute(db);
  const gone = rows[0] ?? { chunks: 0, terms: 0 };
  await sql`UPDATE document_case_stats SET chunks = chunks - ${gone.chunks}, terms = terms - ${gone.terms}
    WHERE org = ${org} AND use_case_id = ${useCaseId}`.execute(db);
  return gone.chunks;
}

/**
 * BM25 over one case, computed in SQL from the stored postings: N and the average chunk length from
 * the case's chunks, each query term's document frequency from its postings, and
 * Σ qtf · ln(1 + (N − df + 0.5)/(df + 0.5)) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)).
 * (PostgreSQL's ts_rank_cd is not BM25: it has no IDF.)
 */
export async function bm25Search(options: {
  db: Kysely<unknown>;
  org: string;
  useCaseId: string;
  query: string;
  k: number;
}): Promise<{ id: string; score: number }[]> {
  const { db, org, useCaseId } = options;
  const counts = new Map<string, number>();
  for (const t of analyze(options.query)) counts.set(t, (counts.get(t) ?? 0) + 1);
  if (counts.size === 0) return [];
  const terms = [...counts.keys()];
  const qtf = terms.map((t) => counts.get(t)!);
  const { k1, b } = BM25;
  // Per term, its weight qtf · IDF; per posting only tf and dl remain, over the constants k1·(1 − b) and
  // k1·b / avgdl, so the per-row work is one division.
  const { rows } = await sql<{ id: string; score: number }>`
    WITH q AS (SELECT * FROM unnest(${terms}::text[], ${qtf}::int[]) AS q(term, qtf)),
    stats AS (SELECT chunks::float8 AS n, greatest(terms::float8 / greatest(chunks, 1), 1) AS avgdl
      FROM document_case_stats WHERE org = ${org} AND use_case_id = ${useCaseId}),
    df AS (SELECT q.term, q.qtf, c.df FROM q CROSS JOIN LATERAL (SELECT count(*)::float8 AS df
      FROM document_terms p WHERE p.org = ${org} AND p.use_case_id = ${useCaseId} AND p.term = q.term) AS c),
    w AS (SELECT df.term, df.qtf * ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5)) AS weight,
      ${k1}::float8 * (1 - ${b}::float8) AS c0, ${k1}::float8 * ${b}::float8 / stats.avgdl AS c1
      FROM df CROSS JOIN stats WHERE df.df > 0)
    SELECT p.chunk_id AS id, sum(w.weight * p.tf * ${k1 + 1}::float8 / (p.tf + w.c0 + w.c1 * p.dl)) AS score
    FROM w CROSS JOIN LATERAL (SELECT chunk_id, tf, dl FROM document_terms t WHERE t.org = ${org}
      AND t.use_case_id = ${useCaseId} AND t.term = w.term) AS p
    GROUP BY p.chunk_id ORDER BY score DESC, p.chunk_id LIMIT ${options.k}`.execute(db);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}
