import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.js';

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the maximum and scales it by the jitter', () => {
    const b = backoff({ baseMs: 100, maxMs: 1_000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('draws a delay between zero and the ceiling (full jitter)', () => {
    const b = backoff({ baseMs: 100, maxMs: 1_000, random: () => 0.25 });
    expect([b.next(), b.next(), b.next()]).toEqual([25, 50, 100]);
  });
});
