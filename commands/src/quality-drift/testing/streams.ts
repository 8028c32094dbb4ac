import type { Counts } from '../detector.js';

/** mulberry32: a small seeded PRNG, so synthetic streams are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Per-bucket counts of a Bernoulli stream: `perBucket` samples a bucket, adverse with `rateAt(bucket)`. */
export function bernoulliSeries(options: {
  buckets: number;
  perBucket: number;
  rateAt: (bucket: number) => number;
  random: () => number;
}): Counts[] {
  const out: Counts[] = [];
  for (let b = 0; b < options.buckets; b++) {
    let adverse = 0;
    const rate = options.rateAt(b);
    for (let i = 0; i < options.perBucket; i++) if (options.random() < rate) adverse++;
    out.push({ n: options.perBucket, adverse });
  }
  return out;
}
