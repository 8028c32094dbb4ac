import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/** How this database keeps vectors: the pgvector type, or `real[]` where the extension is missing. */
export type VectorColumn = 'pgvector' | 'float4-array';

async function pgvectorAvailable(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_available_extensions
    WHERE name = 'vector'`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}

const migrations = (column: VectorColumn): Record<string, Migration> => ({
  '0001_documents': {
    async up(db) {
      await sql`CREATE TABLE documents (
        id text PRIMARY KEY, org text NOT NULL, use_case_id text NOT NULL, title text NOT NULL,
        type text NOT NULL, sha256 text NOT NULL, size_bytes integer NOT NULL, characters integer NOT NULL,
        chunks integer NOT NULL, embedder text NOT NULL, uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL)`.execute(db);
      await sql`CREATE INDEX documents_by_case ON documents (org, use_case_id, uploaded_at DESC, id DESC)`.execute(
        db,
      );
      await sql`CREATE TABLE document_chunks (
        id text PRIMARY KEY, org text NOT NULL, use_case_id text NOT NULL, document_id text NOT NULL,
        idx integer NOT NULL, text text NOT NULL, terms integer NOT NULL)`.execute(db);
      await sql`CREATE INDEX document_chunks_by_case ON document_chunks (org, use_case_id)`.execute(db);
      await sql`CREATE INDEX document_chunks_by_document ON document_chunks (document_id)`.execute(db);
      // BM25's postings: one row per (term, chunk) with the term's count and the chunk's length
      // (replaced by per-term posting lists in 0003).
      await sql`CREATE TABLE document_terms (
        org text NOT NULL, use_case_id text NOT NULL, term text NOT NULL, chunk_id text NOT NULL,
        document_id text NOT NULL, tf integer NOT NULL, dl integer NOT NULL,
        PRIMARY KEY (org, use_case_id, term, chunk_id))`.execute(db);
      await sql`CREATE INDEX document_terms_by_document ON document_terms (document_id)`.execute(db);
      await sql`CREATE TABLE document_settings (
        org text PRIMARY KEY, provider text NOT NULL, model text NOT NULL)`.execute(db);
      if (column === 'pgvector') await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);
      await sql`CREATE TABLE document_vectors (
        chunk_id text PRIMARY KEY, org text NOT NULL, use_case_id text NOT NULL, document_id text NOT NULL,
        embedder text NOT NULL,
        embedding ${column === 'pgvector' ? sql`vector` : sql`real[]`} NOT NULL)`.execute(db);
      await sql`CREATE INDEX document_vectors_by_case ON document_vectors (org, use_case_id, embedder)`.execute(
        db,
      );
      await sql`CREATE INDEX document_vectors_by_document ON document_vectors (document_id)`.execute(db);
    },
  },
  '0002_case_statistics': {
    async up(db) {
      // BM25's N and average length per case, kept as chunks come and go instead of counted per query.
      await sql`CREATE TABLE document_case_stats (
        org text NOT NULL, use_case_id text NOT NULL, chunks integer NOT NULL, terms bigint NOT NULL,
        PRIMARY KEY (org, use_case_id))`.execute(db);
      // A vector's dimensions, so an HNSW index per dimension count can cover pgvector's untyped column.
      await sql`ALTER TABLE document_vectors ADD COLUMN dims integer NOT NULL DEFAULT 0`.execute(db);
    },
  },
  '0003_posting_lists': {
    async up(db) {
      // One row per (case, term) holding its whole posting list: a query reads one row per query term.
      await sql`CREATE TABLE document_postings (
        org text NOT NULL, use_case_id text NOT NULL, term text NOT NULL, chunk_ids text[] NOT NULL,
        tfs integer[] NOT NULL, dls integer[] NOT NULL, PRIMARY KEY (org, use_case_id, term))`.execute(db);
      await sql`INSERT INTO document_postings (org, use_case_id, term, chunk_ids, tfs, dls)
        SELECT org, use_case_id, term, array_agg(chunk_id), array_agg(tf), array_agg(dl)
        FROM document_terms GROUP BY org, use_case_id, term`.execute(db);
      await sql`DROP TABLE document_terms`.execute(db);
    },
  },
});

/** The documents tables' migrations by name, for the specs that migrate from each earlier version. */
export { migrations as documentMigrations };

/**
 * The documents read model: documents, their chunks, BM25 postings, the org's embedder and the chunks'
 * vectors, written in the append's transaction. The vector column is pgvector's type where the
 * extension is available (PGlite ships it) and `real[]` on a PostgreSQL without it (decision 0021).
 */
export async function migrateDocuments(db: Kysely<unknown>): Promise<{ vectors: VectorColumn }> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('document_vectors')::text AS t`.execute(
    db,
  );
  let column: VectorColumn;
  if (exists.rows[0]?.t) {
    const { rows } = await sql<{ udt: string }>`SELECT udt_name AS udt FROM information_schema.columns
      WHERE table_name = 'document_vectors' AND column_name = 'embedding' AND table_schema = current_schema()`.execute(
      db,
    );
    column = rows[0]?.udt === 'vector' ? 'pgvector' : 'float4-array';
  } else column = (await pgvectorAvailable(db)) ? 'pgvector' : 'float4-array';
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(column) },
    migrationTableName: 'documents_migrations',
    migrationLockTableName: 'documents_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`documents migration failed: ${String(error)}`);
  return { vectors: column };
}
