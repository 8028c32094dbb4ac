import type { HitSource, SearchHit, SearchMode } from '@proofpane/api';
import { type Kysely, sql } from 'kysely';
import { bm25Search } from './bm25.js';
import { reciprocalRankFusion } from './rrf.js';
import type { VectorStore } from './vector-store.js';

/** How deep each retriever ranks before fusion: fusion can lift a hit only from the lists it sees. */
export const FUSION_DEPTH = 50;

/** Embeds a query with one embedder (`provider/model`); the server's goes through the governed call. */
export type QueryEmbedder = (options: { embedder: string; text: string }) => Promise<number[]>;

export interface RetrieveOptions {
  db: Kysely<unknown>;
  vectors: VectorStore;
  embedQuery: QueryEmbedder;
  org: string;
  useCaseId: string;
  query: string;
  k: number;
  mode: SearchMode;
}

async function embedders(db: Kysely<unknown>, org: string, useCaseId: string): Promise<string[]> {
  const { rows } = await sql<{ embedder: string }>`SELECT DISTINCT embedder FROM documents
    WHERE org = ${org} AND use_case_id = ${useCaseId} ORDER BY embedder`.execute(db);
  return rows.map((r) => r.embedder);
}

async function vectorSearch(options: RetrieveOptions, depth: number) {
  const { org, useCaseId } = options;
  const lists = [];
  for (const embedder of await embedders(options.db, org, useCaseId)) {
    const vector = await options.embedQuery({ embedder, text: options.query });
    lists.push(await options.vectors.search({ scope: { org, useCaseId, embedder }, vector, k: depth }));
  }
  // Cosines of different models do not compare; documents of one embedder (the usual case) need no merge.
  if (lists.length <= 1) return lists[0] ?? [];
  return reciprocalRankFusion(lists.map((hits, i) => ({ name: String(i), hits }))).map((f) => ({
    id: f.hit.id,
    score: f.score,
  }));
}

/**
 * Retrieval from one use case's documents, scoped by org and case in every query: `lexical` is BM25,
 * `vector` the cosine nearest chunks of each embedder the case's documents used, `hybrid` both fused by
 * Reciprocal Rank Fusion (k = 60) over each one's top 50. Hits carry the chunk, its document's title and
 * which retrievers found it.
 */
export async function retrieveForCase(options: RetrieveOptions): Promise<SearchHit[]> {
  const { db, org, useCaseId, k, mode } = options;
  const depth = mode === 'hybrid' ? Math.max(FUSION_DEPTH, k) : k;
  const lexical =
    mode === 'vector' ? [] : await bm25Search({ db, org, useCaseId, query: options.query, k: depth });
  const vector = mode === 'lexical' ? [] : await vectorSearch(options, depth);
  const ranked: { id: string; score: number; from: HitSource[] }[] =
    mode === 'lexical'
      ? lexical.map((h) => ({ ...h, from: ['bm25'] }))
      : mode === 'vector'
        ? vector.map((h) => ({ ...h, from: ['vector'] }))
        : reciprocalRankFusion([
            { name: 'bm25', hits: lexical },
            { name: 'vector', hits: vector },
          ])
            .slice(0, k)
            .map((f) => ({ id: f.hit.id, score: f.score, from: f.from as HitSource[] }));
  const top = ranked.slice(0, k);
  if (top.length === 0) return [];
  const { rows } = await sql<{ id: string; document_id: string; text: string; title: string }>`
    SELECT c.id, c.document_id, c.text, d.title FROM document_chunks c
    JOIN documents d ON d.id = c.document_id AND d.org = c.org
    WHERE c.org = ${org} AND c.use_case_id = ${useCaseId} AND c.id = ANY(${top.map((h) => h.id)}::text[])`.execute(
    db,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return top.flatMap((h) => {
    const row = byId.get(h.id);
    return row
      ? [
          {
            chunkId: h.id,
            documentId: row.document_id,
            title: row.title,
            text: row.text,
            score: h.score,
            from: h.from,
          },
        ]
      : [];
  });
}
