import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './limits.js';
import { BytesSource } from './source.js';
import { verifyPack } from './verify-pack.js';
import { readZipDirectory } from './zip-directory.js';

const valid = new Uint8Array(readFileSync(join(import.meta.dirname, '../../test/fixtures/valid-full.zip')));

describe('reading the archive', () => {
  it('accepts a pack whose entries are stored rather than deflated', async () => {
    const stored = zipSync(unzipSync(valid), { level: 0 });
    const entries = await readZipDirectory(new BytesSource(stored), DEFAULT_LIMITS);
    expect(entries.map((e) => e.method)).toEqual([0, 0, 0, 0]);
    expect((await verifyPack(stored)).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('refuses archives beyond the entry and size limits before inflating anything', async () => {
    const many = zipSync(
      Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`f${i}`, new Uint8Array(1)])),
    );
    expect(await verifyPack(many)).toMatchObject({
      status: 'unusable',
      error: expect.stringMatching(/70 entries/),
    });
    const small = { ...DEFAULT_LIMITS, archiveBytes: 100 };
    await expect(readZipDirectory(new BytesSource(valid), small)).rejects.toThrow(/above the limit of 100/);
    const tight = await verifyPack(valid, { limits: { eventsBytes: 1000 } });
    expect(tight).toMatchObject({
      status: 'unusable',
      error: expect.stringMatching(/events\.jsonl" declares/),
    });
  });

  it('refuses input that is not a ZIP archive', async () => {
    for (const input of [
      new Uint8Array(0),
      new TextEncoder().encode('{"format":"proofpane.evidence-pack/1"}'),
    ])
      expect(await verifyPack(input)).toMatchObject({ status: 'unusable', valid: false });
  });
});
