import { hash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { normalised, type VectorScope, type VectorStore } from './vector-store.js';

/** A collection per (org, case, embedder), named by a hash so no id reaches Qdrant's namespace as text. */
const collectionOf = (scope: VectorScope) =>
  `pp_${hash('sha256', `${scope.org}\u0000${scope.useCaseId}\u0000${scope.embedder}`, 'hex').slice(0, 40)}`;

/** Qdrant point ids are UUIDs: one derived from the chunk id. */
const pointId = (chunkId: string) => {
  const h = hash('sha256', chunkId, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * Qdrant, when `QDRANT_URL` is set: one collection per case and embedder, cosine distance, the chunk
 * and document ids in each point's payload. Not transactional: the upload writes vectors before its
 * event and removes them when the append fails; a delete removes them after its event.
 */
export function qdrantStore(options: { url: string; apiKey?: string | undefined }): VectorStore {
  const client = new QdrantClient({
    url: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  const known = new Set<string>();
  const ensure = async (name: string, size: number) => {
    if (known.has(name)) return;
    const { exists } = await client.collectionExists(name);
    if (!exists) {
      await client.createCollection(name, { vectors: { size, distance: 'Cosine' } });
      await client.createPayloadIndex(name, { field_name: 'documentId', field_schema: 'keyword' });
    }
    known.add(name);
  };
  return {
    kind: 'qdrant',
    transactional: false,
    async upsert({ scope, points }) {
      if (points.length === 0) return;
      const name = collectionOf(scope);
      await ensure(name, points[0]!.vector.length);
      for (let i = 0; i < points.length; i += 256)
        await client.upsert(name, {
          wait: true,
          points: points.slice(i, i + 256).map((p) => ({
            id: pointId(p.chunkId),
            vector: normalised(p.vector),
            payload: {
              chunkId: p.chunkId,
              documentId: p.documentId,
              org: scope.org,
              useCaseId: scope.useCaseId,
            },
          })),
        });
    },
    async deleteDocument({ scope, documentId }) {
      const name = collectionOf(scope);
      const { exists } = await client.collectionExists(name);
      if (!exists) return;
      await client.delete(name, {
        wait: true,
        filter: { must: [{ key: 'documentId', match: { value: documentId } }] },
      });
    },
    async search({ scope, vector, k }) {
      const name = collectionOf(scope);
      const { exists } = await client.collectionExists(name);
      if (!exists) return [];
      const hits = await client.search(name, { vector: normalised(vector), limit: k, with_payload: true });
      return hits.map((h) => ({ id: String((h.payload as { chunkId: string }).chunkId), score: h.score }));
    },
  };
}
