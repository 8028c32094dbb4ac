import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce';

/** A load that finishes when told, counting its runs. */
function gatedLoad() {
  const gates: (() => void)[] = [];
  let runs = 0;
  const load = () => {
    runs++;
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  const release = async () => {
    gates.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { load, release, runs: () => runs };
}

describe('coalesce', () => {
  it('runs once more after the load in flight however many calls arrive meanwhile', async () => {
    const gated = gatedLoad();
    const reload = coalesce(gated.load);
    void reload();
    void reload();
    void reload();
    void reload();
    expect(gated.runs()).toBe(1);
    await gated.release();
    expect(gated.runs()).toBe(2);
    await gated.release();
    expect(gated.runs()).toBe(2);
  });

  it('starts afresh once idle, and keeps going after a load that fails', async () => {
    let runs = 0;
    const reload = coalesce(async () => {
      runs++;
      if (runs === 1) throw new Error('offline');
    });
    await expect(reload()).rejects.toThrow('offline');
    await reload();
    await reload();
    expect(runs).toBe(3);
  });
});
