import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeAdapters } from '../src/cli/node-adapters.js';
import {
  DEFAULT_LIMITS,
  type Inflater,
  type PackSource,
  parsePinnedKey,
  portableInflate,
  type TrustedKeys,
  verifyPack,
} from '../src/index.js';
import { shiftZip, unpack } from './tamper.js';
import { bombPack } from './zip-bomb.js';

const dir = join(import.meta.dirname, 'fixtures');
const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as { keys: { publicKey: string }[] };
const pinned = parsePinnedKey(keys.keys[0]!.publicKey) as TrustedKeys;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** An archive of `size` bytes that exists only as `tail` at its end, counting what is read of it. */
function virtualArchive(size: number, tail: Uint8Array): PackSource & { bytesRead: number } {
  const tailAt = size - tail.length;
  return {
    size,
    bytesRead: 0,
    async read(offset, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const end = offset + out.length;
      if (end > tailAt)
        out.set(tail.subarray(Math.max(0, offset - tailAt), end - tailAt), Math.max(0, tailAt - offset));
      this.bytesRead += out.length;
      return out;
    },
  };
}

/** Wraps an inflater to count the bytes it handed over. */
function counting(inner: Inflater): { inflate: Inflater; produced: () => number } {
  let produced = 0;
  return {
    produced: () => produced,
    inflate: async function* (compressed) {
      for await (const chunk of inner(compressed)) {
        produced += chunk.length;
        yield chunk;
      }
    },
  };
}

describe.each([
  ['portable', portableInflate],
  ['node', nodeAdapters.inflate!],
])('reading a pack by offset (%s inflate)', (_name, inflater) => {
  it('verifies a pack at the end of a 4 GiB source reading only its tail, directory and entries', async () => {
    const pack = read('valid-full.zip');
    const size = 4 * GiB - pack.length;
    const source = virtualArchive(size + pack.length, shiftZip(pack, size));
    const report = await verifyPack(source, { inflate: inflater, trust: pinned });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report).toMatchObject({ status: 'valid', signer: 'pinned', eventCount: 24 });
    // The end record is searched for in the last 64 KiB + 22 bytes; everything else read is the pack.
    expect(source.bytesRead).toBeLessThan(64 * 1024 + 22 + 2 * pack.length);
  });

  it('refuses an entry that declares an inflation ratio above the cap before inflating anything', async () => {
    const { inflate, produced } = counting(inflater);
    const zip = bombPack(unpack(read('valid-full.zip')), 64);
    const report = await verifyPack(zip, { inflate, trust: pinned });
    expect(report).toMatchObject({
      status: 'unusable',
      error: expect.stringMatching(
        /"events\.jsonl" would inflate \d+ bytes to 67108864, more than 100 times/,
      ),
    });
    // Only the manifest and its signature were inflated, none of the bomb.
    expect(produced()).toBeLessThan(4096);
  });

  it('stops inflating an entry as soon as it outgrows its declared size', async () => {
    // 256 MiB of zeros declaring 1 MiB, which the ratio cap exempts: only the running count of
    // what inflation produced can catch it, and it must catch it early.
    const { inflate, produced } = counting(inflater);
    const zip = bombPack(unpack(read('valid-full.zip')), 256, MiB);
    const report = await verifyPack(zip, { inflate, trust: pinned });
    expect(report).toMatchObject({
      status: 'unusable',
      error: expect.stringMatching(/"events\.jsonl" inflates beyond its declared 1048576 bytes/),
    });
    expect(produced()).toBeGreaterThan(MiB);
    expect(produced()).toBeLessThan(32 * MiB);
  });

  it('applies the ratio cap to entries above the exempt size, and the total cap across entries', async () => {
    const zip = read('valid-full.zip');
    const tight = await verifyPack(zip, {
      inflate: inflater,
      limits: { inflationRatio: 1, ratioExemptBytes: 0 },
    });
    expect(tight).toMatchObject({ status: 'unusable', error: expect.stringMatching(/more than 1 times/) });
    const total = await verifyPack(zip, { inflate: inflater, limits: { totalBytes: 1000 } });
    expect(total).toMatchObject({
      status: 'unusable',
      error: expect.stringMatching(/entries declare \d+ bytes in all, above the limit of 1000/),
    });
    expect(DEFAULT_LIMITS.inflationRatio).toBe(100);
  });
});

describe('verifying a Blob, as the browser hands over a dropped file', () => {
  it('gives the same report as the bytes in memory', async () => {
    const zip = read('valid-filtered.zip');
    const fromBlob = await verifyPack(new Blob([zip]), { trust: pinned });
    expect(fromBlob.status).toBe('valid');
    expect(fromBlob).toEqual(await verifyPack(zip, { trust: pinned }));
  });

  it('reports a truncated Blob as unusable rather than throwing', async () => {
    const zip = read('valid-full.zip');
    // The directory survives but the entries it points at are cut short.
    const cut = new Uint8Array([...zip.subarray(0, 200), ...zip.subarray(zip.length - 400)]);
    expect(await verifyPack(new Blob([cut]))).toMatchObject({ status: 'unusable', valid: false });
  });
});
