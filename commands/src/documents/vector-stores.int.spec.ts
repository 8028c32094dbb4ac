import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qdrantStore } from './qdrant-store.js';
import { floatArrayStore, HNSW_FROM_VECTORS, pgvectorStore } from './sql-vector-stores.js';
import { migrateDocuments } from './tables.js';
import type { VectorStore } from './vector-store.js';

interface Subject {
  name: string;
  open(): Promise<{ store: VectorStore; db?: Kysely<unknown>; close(): Promise<void> }>;
}

/** Every store this machine can reach: the database's own column, and Qdrant when QDRANT_URL is set. */
const subjects: Subject[] = testDrivers.map((driver) => ({
  name: driver,
  async open() {
    const test: TestDatabase = await createTestDatabase(driver);
    const { vectors } = await migrateDocuments(test.database.db);
    // PGlite ships pgvector; this machine's PostgreSQL has no pgvector, so it exercises the fallback.
    const store =
      vectors === 'pgvector' ? pgvectorStore(test.database.db) : floatArrayStore(test.database.db);
    return { store, db: test.database.db, close: () => test.dispose() };
  },
}));
if (process.env.QDRANT_URL)
  subjects.push({
    name: 'qdrant',
    open: async () => ({
      store: qdrantStore({ url: process.env.QDRANT_URL!, apiKey: process.env.QDRANT_API_KEY }),
      close: async () => {},
    }),
  });

const unit = (dims: number, hot: number) => Array.from({ length: dims }, (_, i) => (i === hot ? 1 : 0.01));

for (const subject of subjects) {
  describe(`the vector store contract on ${subject.name}`, () => {
    let store: VectorStore;
    let db: Kysely<unknown> | undefined;
    let close: () => Promise<void>;
    const run = `${Date.now()}`;
    const scope = (org: string, useCaseId = `uc_${run}`) => ({
      org: `${org}_${run}`,
      useCaseId,
      embedder: 'demo/test',
    });

    beforeAll(async () => {
      ({ store, db, close } = await subject.open());
      for (const org of ['a', 'b'])
        await store.upsert({
          scope: scope(org),
          points: [
            { chunkId: `${org}:d1:0`, documentId: `${org}:d1`, vector: unit(8, 0) },
            { chunkId: `${org}:d1:1`, documentId: `${org}:d1`, vector: unit(8, 1) },
            { chunkId: `${org}:d2:0`, documentId: `${org}:d2`, vector: unit(8, 2) },
          ],
        });
    });
    afterAll(() => close());

    it('finds the nearest chunks by cosine, best first, scaled vectors alike', async () => {
      const hits = await store.search({ scope: scope('a'), vector: unit(8, 1).map((x) => x * 7), k: 2 });
      expect(hits.map((h) => h.id)).toEqual(['a:d1:1', expect.stringMatching(/^a:/)]);
      expect(hits[0]!.score).toBeGreaterThan(0.99);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    });

    it('never answers from another org, case or embedder', async () => {
      const hits = await store.search({ scope: scope('a'), vector: unit(8, 2), k: 10 });
      expect(hits.map((h) => h.id).sort()).toEqual(['a:d1:0', 'a:d1:1', 'a:d2:0']);
      expect(await store.search({ scope: scope('a', 'uc_other'), vector: unit(8, 2), k: 10 })).toEqual([]);
      expect(
        await store.search({ scope: { ...scope('a'), embedder: 'openai/x' }, vector: unit(8, 2), k: 10 }),
      ).toEqual([]);
    });

    it("deletes one document's vectors in one org only", async () => {
      await store.deleteDocument({ scope: scope('a'), documentId: 'a:d1' });
      expect((await store.search({ scope: scope('a'), vector: unit(8, 0), k: 10 })).map((h) => h.id)).toEqual(
        ['a:d2:0'],
      );
      expect(await store.search({ scope: scope('b'), vector: unit(8, 0), k: 10 })).toHaveLength(3);
    });

    // PGlite ships pgvector, so the index path is checked there.
    if (subject.name === 'pglite')
      it('searches a large case through the HNSW index and still answers only from that case', async () => {
        expect(store.kind).toBe('pgvector');
        if (!db) throw new Error('the SQL store has a database');
        const big = scope('a', `uc_big_${run}`);
        let seed = 7;
        const random = () => {
          seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
          return seed / 2 ** 31 - 0.5;
        };
        const points = Array.from({ length: HNSW_FROM_VECTORS + 500 }, (_, i) => ({
          chunkId: `big:${i}`,
          documentId: `big:${Math.floor(i / 10)}`,
          vector: Array.from({ length: 8 }, random),
        }));
        await store.upsert({ scope: big, points });
        await sql`INSERT INTO document_case_stats (org, use_case_id, chunks, terms)
        VALUES (${big.org}, ${big.useCaseId}, ${points.length}, 0)`.execute(db);
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes
        WHERE tablename = 'document_vectors' AND indexname = 'document_vectors_hnsw_8'`.execute(db);
        expect(rows[0]!.n).toBe(1);
        const target = points[1234]!;
        const hits = await store.search({ scope: big, vector: target.vector, k: 20 });
        expect(hits[0]!.id).toBe(target.chunkId);
        expect(hits).toHaveLength(20);
        expect(hits.every((h) => h.id.startsWith('big:'))).toBe(true);
        for (let i = 1; i < hits.length; i++)
          expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      });
  });
}
