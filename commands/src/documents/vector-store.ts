import type { Kysely } from 'kysely';

/** One chunk's vector, with what scopes it: the org, the case (the collection) and the embedder. */
export interface VectorPoint {
  chunkId: string;
  documentId: string;
  vector: readonly number[];
}

export interface VectorScope {
  org: string;
  useCaseId: string;
  /** `provider/model`: vectors of different embedders are never compared. */
  embedder: string;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity. */
  score: number;
}

/**
 * Where a case's chunk vectors live: one collection per (org, case). The SQL stores write in the
 * caller's transaction (`db` may be the append's), so the vectors commit with the upload's event;
 * an external store (`transactional: false`) is written before the event and cleaned after a failure.
 */
export interface VectorStore {
  readonly kind: 'pgvector' | 'float4-array' | 'qdrant';
  readonly transactional: boolean;
  upsert(options: {
    db?: Kysely<unknown>;
    scope: VectorScope;
    points: readonly VectorPoint[];
  }): Promise<void>;
  deleteDocument(options: { db?: Kysely<unknown>; scope: VectorScope; documentId: string }): Promise<void>;
  search(options: { scope: VectorScope; vector: readonly number[]; k: number }): Promise<VectorHit[]>;
}

/** Unit length, so a dot product is the cosine (providers do not all normalise). */
export function normalised(vector: readonly number[]): number[] {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return vector.map((x) => x / norm);
}
