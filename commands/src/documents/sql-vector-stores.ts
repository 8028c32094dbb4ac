import { type Kysely, sql } from 'kysely';
import { normalised, type VectorHit, type VectorStore } from './vector-store.js';

const literal = (vector: readonly number[]) => `[${normalised(vector).join(',')}]`;

/** Rows in batches whose parameters stay far under PostgreSQL's 65,535 per statement. */
const BATCH = 500;

/**
 * pgvector (PGlite ships it): exact cosine distance (`<=>`) over the case's rows, which the
 * `(org, use_case_id, embedder)` index finds; exact, so a case's results never depend on other cases.
 */
export function pgvectorStore(db: Kysely<unknown>): VectorStore {
  return {
    kind: 'pgvector',
    transactional: true,
    async upsert({ db: tx = db, scope, points }) {
      for (let i = 0; i < points.length; i += BATCH) {
        const batch = points.slice(i, i + BATCH);
        await sql`INSERT INTO document_vectors (chunk_id, org, use_case_id, document_id, embedder, embedding)
          SELECT t.chunk_id, ${scope.org}, ${scope.useCaseId}, t.document_id, ${scope.embedder}, t.v::vector
          FROM unnest(${batch.map((p) => p.chunkId)}::text[], ${batch.map((p) => p.documentId)}::text[],
            ${batch.map((p) => literal(p.vector))}::text[]) AS t(chunk_id, document_id, v)
          ON CONFLICT (chunk_id) DO UPDATE SET embedding = excluded.embedding, embedder = excluded.embedder`.execute(
          tx,
        );
      }
    },
    async deleteDocument({ db: tx = db, scope, documentId }) {
      await sql`DELETE FROM document_vectors WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId}
        AND document_id = ${documentId}`.execute(tx);
    },
    async search({ scope, vector, k }) {
      const v = literal(vector);
      const { rows } = await sql<VectorHit>`SELECT chunk_id AS id, 1 - (embedding <=> ${v}::vector) AS score
        FROM document_vectors
        WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId} AND embedder = ${scope.embedder}
        ORDER BY embedding <=> ${v}::vector, chunk_id LIMIT ${k}`.execute(db);
      return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
    },
  };
}

/**
 * PostgreSQL without pgvector: vectors as `real[]`, unit length, and the exact cosine as a dot product
 * computed in SQL over the case's rows. Linear in the case's chunks (decision 0021); correct everywhere.
 */
export function floatArrayStore(db: Kysely<unknown>): VectorStore {
  return {
    kind: 'float4-array',
    transactional: true,
    async upsert({ db: tx = db, scope, points }) {
      for (let i = 0; i < points.length; i += BATCH) {
        const batch = points.slice(i, i + BATCH);
        // A 2-D array cannot be unnested row by row, so each vector travels as its text literal.
        await sql`INSERT INTO document_vectors (chunk_id, org, use_case_id, document_id, embedder, embedding)
          SELECT t.chunk_id, ${scope.org}, ${scope.useCaseId}, t.document_id, ${scope.embedder}, t.v::real[]
          FROM unnest(${batch.map((p) => p.chunkId)}::text[], ${batch.map((p) => p.documentId)}::text[],
            ${batch.map((p) => `{${normalised(p.vector).join(',')}}`)}::text[]) AS t(chunk_id, document_id, v)
          ON CONFLICT (chunk_id) DO UPDATE SET embedding = excluded.embedding, embedder = excluded.embedder`.execute(
          tx,
        );
      }
    },
    async deleteDocument({ db: tx = db, scope, documentId }) {
      await sql`DELETE FROM document_vectors WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId}
        AND document_id = ${documentId}`.execute(tx);
    },
    async search({ scope, vector, k }) {
      const q = `{${normalised(vector).join(',')}}`;
      const { rows } = await sql<VectorHit>`SELECT d.chunk_id AS id,
          (SELECT sum(a * b) FROM unnest(d.embedding, ${q}::real[]) AS t(a, b)) AS score
        FROM document_vectors d
        WHERE d.org = ${scope.org} AND d.use_case_id = ${scope.useCaseId} AND d.embedder = ${scope.embedder}
        ORDER BY score DESC NULLS LAST, d.chunk_id LIMIT ${k}`.execute(db);
      return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
    },
  };
}
