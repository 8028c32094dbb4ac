/** Reciprocal Rank Fusion's constant (Cormack, Clarke and Büttcher, 2009): the value the paper found robust. */
export const RRF_K = 60;

export interface Ranked {
  id: string;
}

/**
 * Fuses ranked lists by Reciprocal Rank Fusion: each id scores Σ 1 / (k + rank) over the lists that
 * hold it (rank from 1). Ranks, not scores, are fused, so BM25's unbounded scores and cosine
 * similarities need no calibration. Ties keep the first list's order.
 */
export function reciprocalRankFusion<T extends Ranked>(
  lists: readonly { name: string; hits: readonly T[] }[],
  k = RRF_K,
): { hit: T; score: number; from: string[] }[] {
  const fused = new Map<string, { hit: T; score: number; from: string[]; first: number }>();
  let order = 0;
  for (const list of lists)
    list.hits.forEach((hit, i) => {
      const entry = fused.get(hit.id) ?? { hit, score: 0, from: [], first: order++ };
      entry.score += 1 / (k + i + 1);
      entry.from.push(list.name);
      fused.set(hit.id, entry);
    });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .map(({ hit, score, from }) => ({ hit, score, from }));
}
