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
  const { numAffectedRows } = await sql`DELETE FROM document_chunks WHERE org = ${org}
    AND use_case_id = ${useCaseId} AND document_id = ${documentId}`.execute(db);
  return Number(numAffectedRows ?? 0);
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
  const { rows } = await sql<{ id: string; score: number }>`
    WITH q AS (SELECT * FROM unnest(${terms}::text[], ${qtf}::int[]) AS q(term, qtf)),
    stats AS (SELECT count(*)::float8 AS n, greatest(avg(terms), 1)::float8 AS avgdl
      FROM document_chunks WHERE org = ${org} AND use_case_id = ${useCaseId}),
    postings AS (SELECT p.term, p.chunk_id, p.tf, p.dl, q.qtf FROM document_terms p JOIN q USING (term)
      WHERE p.org = ${org} AND p.use_case_id = ${useCaseId}),
    df AS (SELECT term, count(*)::float8 AS df FROM postings GROUP BY term)
    SELECT p.chunk_id AS id,
      sum(p.qtf * ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
        * (p.tf * ${k1 + 1}::float8) / (p.tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * p.dl / stats.avgdl)))::float8 AS score
    FROM postings p JOIN df USING (term) CROSS JOIN stats
    GROUP BY p.chunk_id ORDER BY score DESC, p.chunk_id LIMIT ${options.k}`.execute(db);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}
