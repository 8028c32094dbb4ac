/**
 * Discrete semantic entropy over answer clusters (Farquhar et al., Nature 2024):
 * SE = −Σ (|C| / N) · ln(|C| / N), in nats; 0 when every answer means the same, ln N when none agree.
 */
export function semanticEntropy(sizes: readonly number[]): number {
  const n = sizes.reduce((sum, size) => sum + size, 0);
  if (n === 0) return 0;
  let entropy = 0;
  for (const size of sizes) {
    if (size <= 0) continue;
    const p = size / n;
    entropy -= p * Math.log(p);
  }
  // -0 and rounding noise below zero read as no uncertainty.
  return Math.max(0, entropy);
}

/** The agents that must answer before a consensus decides: a strict majority of those asked. */
export const quorumOf = (n: number): number => Math.floor(n / 2) + 1;
