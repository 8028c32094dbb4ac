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
  // Per term, this batch's postings as comma-joined lists (chunk ids are ours: no commas), appended to
  // the term's list in one statement per thousand terms.
  const byTerm = new Map<string, { ids: string[]; tfs: number[]; dls: number[] }>();
  for (const p of postings) {
    const list = byTerm.get(p.term) ?? { ids: [], tfs: [], dls: [] };
    list.ids.push(p.chunkId);
    list.tfs.push(p.tf);
    list.dls.push(p.dl);
    byTerm.set(p.term, list);
  }
  const terms = [...byTerm.entries()];
  for (let i = 0; i < terms.length; i += BATCH) {
    const batch = terms.slice(i, i + BATCH);
    await sql`INSERT INTO document_postings AS p (org, use_case_id, term, chunk_ids, tfs, dls)
      SELECT ${org}, ${useCaseId}, t.term, string_to_array(t.ids, ','), string_to_array(t.tfs, ',')::int[],
        string_to_array(t.dls, ',')::int[]
      FROM unnest(${batch.map(([term]) => term)}::text[], ${batch.map(([, l]) => l.ids.join(','))}::text[],
        ${batch.map(([, l]) => l.tfs.join(','))}::text[], ${batch.map(([, l]) => l.dls.join(','))}::text[])
        AS t(term, ids, tfs, dls)
      ON CONFLICT (org, use_case_id, term) DO UPDATE SET chunk_ids = p.chunk_ids || excluded.chunk_ids,
        tfs = p.tfs || excluded.tfs, dls = p.dls || excluded.dls`.execute(db);
  }
}

export async function deleteChunks(options: {
  db: Kysely<unknown>;
  org: string;
  useCaseId: string;
  documentId: string;
}): Promise<number> {
  const { db, org, useCaseId, documentId } = options;
  // The document's terms, from its chunks, name the posting lists to filter; a list left empty goes.
  const { rows: texts } = await sql<{ text: string }>`SELECT text FROM document_chunks WHERE org = ${org}
    AND use_case_id = ${useCaseId} AND document_id = ${documentId}`.execute(db);
  const terms = [...new Set(texts.flatMap((t) => analyze(t.text)))];
  const prefix = `${documentId}:`;
  await sql`UPDATE document_postings p SET (chunk_ids, tfs, dls) = (
      SELECT coalesce(array_agg(u.id ORDER BY u.n), '{}'), coalesce(array_agg(u.tf ORDER BY u.n), '{}'),
        coalesce(array_agg(u.dl ORDER BY u.n), '{}')
      FROM unnest(p.chunk_ids, p.tfs, p.dls) WITH ORDINALITY AS u(id, tf, dl, n) WHERE NOT starts_with(u.id, ${prefix}))
    WHERE p.org = ${org} AND p.use_case_id = ${useCaseId} AND p.term = ANY(${terms}::text[])`.execute(db);
  await sql`DELETE FROM document_postings WHERE org = ${org} AND use_case_id = ${useCaseId}
    AND term = ANY(${terms}::text[]) AND cardinality(chunk_ids) = 0`.execute(db);
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
  const { k1, b } = BM25;
  const { rows: stats } = await sql<{ n: number; terms: number }>`SELECT chunks AS n, terms::float8 AS terms
    FROM document_case_stats WHERE org = ${org} AND use_case_id = ${useCaseId}`.execute(db);
  const n = Number(stats[0]?.n ?? 0);
  if (n === 0) return [];
  const avgdl = Math.max(1, Number(stats[0]!.terms) / n);
  const { rows: lists } = await sql<{ term: string; chunk_ids: string[]; tfs: number[]; dls: number[] }>`
    SELECT term, chunk_ids, tfs, dls FROM document_postings
    WHERE org = ${org} AND use_case_id = ${useCaseId} AND term = ANY(${terms}::text[])`.execute(db);
  const scores = new Map<string, number>();
  const c0 = k1 * (1 - b);
  const c1 = (k1 * b) / avgdl;
  for (const list of lists) {
    const df = list.chunk_ids.length;
    const weight = counts.get(list.term)! * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < df; i++) {
      const tf = Number(list.tfs[i]);
      const id = list.chunk_ids[i]!;
      scores.set(id, (scores.get(id) ?? 0) + (weight * tf * (k1 + 1)) / (tf + c0 + c1 * Number(list.dls[i])));
    }
  }
  const rows = [...scores.entries()]
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .slice(0, options.k);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}
