import { activeApiKeyByHash } from './tables/queries.js';
import type { IdentityDb } from './tables/schema.js';

/** What the cache needs of the identity context (one cache per context). */
interface CacheOwner {
  db: IdentityDb;
  now(): Date;
}

type ApiKeyRow = NonNullable<Awaited<ReturnType<typeof activeApiKeyByHash>>>;

/**
 * How long another process's revocation may take to reach this one. A revocation made through this
 * process empties the cache at once; the same bound applies to a revoked device's socket.
 */
export const API_KEY_CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  row: ApiKeyRow;
  fetchedAt: number;
}

const caches = new WeakMap<CacheOwner, Map<string, Entry>>();

/**
 * The active key row for a key hash, read at most once a second per key: on a busy gateway the key
 * lookup was a database round trip on every call. Unknown and revoked keys are never cached.
 */
export async function activeApiKey(ctx: CacheOwner, hash: string): Promise<ApiKeyRow | undefined> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  const now = ctx.now().getTime();
  const cached = cache.get(hash);
  if (cached && now - cached.fetchedAt < API_KEY_CACHE_MS && now >= cached.fetchedAt) return cached.row;
  const row = await activeApiKeyByHash({ db: ctx.db, hash });
  if (!row || row.revoked_at) {
    cache.delete(hash);
    return undefined;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(hash, { row, fetchedAt: now });
  return row;
}

/** Called when this process revokes a key: no cached row outlives the revocation here. */
export function forgetApiKeys(ctx: CacheOwner): void {
  caches.get(ctx)?.clear();
}
