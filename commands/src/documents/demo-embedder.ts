import { hash } from 'node:crypto';
import { analyze } from './analyze.js';

/** The demo embedder's model name and size: what documents and events call it. */
export const DEMO_EMBEDDING_MODEL = 'hashed-ngrams-384';
export const DEMO_EMBEDDING_DIMENSIONS = 384;

const bucket = (feature: string) => {
  const digest = hash('sha1', feature, 'buffer');
  return { index: digest.readUInt32BE(0) % DEMO_EMBEDDING_DIMENSIONS, sign: digest[4]! & 1 ? 1 : -1 };
};

/**
 * An offline, deterministic embedding for the demo provider: feature hashing (the "hashing trick") of
 * a text's analysed words and of their character 3- and 4-grams into 384 signed buckets, sub-linear
 * in counts, L2-normalised. It captures shared words and word pieces (`retain` ~ `retention`), not
 * meaning: figures measured with it are labelled demo.
 */
export function demoEmbedding(text: string): number[] {
  const v = new Float64Array(DEMO_EMBEDDING_DIMENSIONS);
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  for (const word of analyze(text)) {
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (const n of [3, 4])
      for (let i = 0; i + n <= padded.length; i++) add(`g${n}:${padded.slice(i, i + n)}`, 0.35);
  }
  for (const [feature, weight] of counts) {
    const { index, sign } = bucket(feature);
    v[index]! += sign * Math.sqrt(weight);
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Array.from(v, (x) => Math.round((x / norm) * 1e6) / 1e6);
}
