import { type Kysely, sql } from 'kysely';
import { normalised, type VectorHit, type VectorStore } from './vector-store.js';

const literal = (vector: readonly number[]) => `[${normalised(vector).join(',')}]`;

/** Rows in batches whose parameters stay far under PostgreSQL's 65,535 per statement. */
const BATCH = 500;

/** Cases with fewer vectors than this are searched exactly; larger ones through the HNSW index. */
export const HNSW_FROM_VECTORS = 2_000;
/** pgvector indexes at most this many dimensions with HNSW; longer vectors are always searched exactly. */
const HNSW_MAX_DIMS = 2_000;

/**
 * pgvector (PGlite ships it). A case below `HNSW_FROM_VECTORS` is searched exactly (`<=>` over its rows,
 * found by the `(org, use_case_id, embedder)` index). A larger one goes through an HNSW index (cosine)
 * per dimension count, made on the first vector of that size, with iterative scans so the case filter
 * still yields k rows; results are then ordered by their exact distance.
 */
export function pgvectorStore(db: Kysely<unknown>): VectorStore {
  const indexed = new Set<number>();
  const ensureIndex = async (tx: Kysely<unknown>, dims: number) => {
    if (indexed.has(dims) || !Number.isInteger(dims) || dims < 1 || dims > HNSW_MAX_DIMS) return;
    const name = `document_vectors_hnsw_${dims}`;
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes
      WHERE tablename = 'document_vectors' AND indexname = ${name}`.execute(tx);
    if ((rows[0]?.n ?? 0) === 0)
      await sql`CREATE INDEX IF NOT EXISTS ${sql.raw(name)} ON document_vectors
        USING hnsw ((embedding::vector(${sql.raw(String(dims))})) vector_cosine_ops) WHERE dims = ${sql.raw(String(dims))}`.execute(
        tx,
      );
    indexed.add(dims);
  };
  return {
    kind: 'pgvector',
    transactional: true,
    async upsert({ db: tx = db, scope, points }) {
      for (const dims of new Set(points.map((p) => p.vector.length))) await ensureIndex(tx, dims);
      for (let i = 0; i < points.length; i += BATCH) {
        const batch = points.slice(i, i + BATCH);
        await sql`INSERT INTO document_vectors (chunk_id, org, use_case_id, document_id, embedder, embedding, dims)
          SELECT t.chunk_id, ${scope.org}, ${scope.useCaseId}, t.document_id, ${scope.embedder}, t.v::vector, t.dims
          FROM unnest(${batch.map((p) => p.chunkId)}::text[], ${batch.map((p) => p.documentId)}::text[],
            ${batch.map((p) => literal(p.vector))}::text[], ${batch.map((p) => p.vector.length)}::int[])
            AS t(chunk_id, document_id, v, dims)
          ON CONFLICT (chunk_id) DO UPDATE SET embedding = excluded.embedding, embedder = excluded.embedder,
            dims = excluded.dims`.execute(tx);
      }
    },
    async deleteDocument({ db: tx = db, scope, documentId }) {
      await sql`DELETE FROM document_vectors WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId}
        AND document_id = ${documentId}`.execute(tx);
    },
    async search({ scope, vector, k }) {
      const v = literal(vector);
      const dims = vector.length;
      const { rows: sized } = await sql<{ n: number }>`SELECT chunks AS n FROM document_case_stats
        WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId}`.execute(db);
      const large = (sized[0]?.n ?? 0) >= HNSW_FROM_VECTORS && dims <= HNSW_MAX_DIMS;
      if (!large) {
        const { rows } = await sql<VectorHit>`SELECT chunk_id AS id, 1 - (embedding <=> ${v}::vector) AS score
          FROM document_vectors
          WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId} AND embedder = ${scope.embedder}
          ORDER BY embedding <=> ${v}::vector, chunk_id LIMIT ${k}`.execute(db);
        return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
      }
      const d = sql.raw(String(dims));
      return db.transaction().execute(async (trx) => {
        await sql`SET LOCAL hnsw.iterative_scan = relaxed_order`.execute(trx);
        await sql`SET LOCAL hnsw.ef_search = ${sql.raw(String(Math.max(40, k * 2)))}`.execute(trx);
        const { rows } = await sql<VectorHit>`SELECT id, 1 - distance AS score FROM (
            SELECT chunk_id AS id, embedding::vector(${d}) <=> ${v}::vector(${d}) AS distance FROM document_vectors
            WHERE org = ${scope.org} AND use_case_id = ${scope.useCaseId} AND embedder = ${scope.embedder}
              AND dims = ${d}
            ORDER BY embedding::vector(${d}) <=> ${v}::vector(${d}) LIMIT ${k}) AS near
          ORDER BY distance, id`.execute(trx);
        return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
      });
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
