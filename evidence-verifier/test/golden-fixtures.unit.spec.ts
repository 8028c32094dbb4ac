import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeAdapters } from '../src/cli/node-adapters.js';
import { proofsThread } from '../src/cli/proofs-thread.js';
import {
  parsePinnedKey,
  parsePublishedKeys,
  type TrustedKeys,
  type VerifyReport,
  verifyPack,
} from '../src/index.js';

const dir = join(import.meta.dirname, 'fixtures');
const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const keysFile = parsePublishedKeys(readFileSync(join(dir, 'keys.json'), 'utf8'));
if ('error' in keysFile) throw new Error(keysFile.error);
const listTrust: TrustedKeys = { kind: 'list', keys: keysFile.keys };
const pinned = parsePinnedKey(keysFile.keys[0]!.publicKey) as TrustedKeys;

/** Each tampered fixture and the checks that must fail, with the seq they must name. */
const INVALID: [file: string, failures: [id: string, seq?: number][]][] = [
  [
    'tampered-field-org.zip',
    [
      ['events.org', 7],
      ['events.hash', 7],
    ],
  ],
  [
    'tampered-field-seq.zip',
    [
      ['events.hash', 70],
      ['events.range', 70],
      ['proofs.coverage', 7],
    ],
  ],
  ...['id', 'type', 'subject', 'subjectVersion', 'time', 'actor', 'data', 'meta'].map(
    (f) =>
      [`tampered-field-${f}.zip`, [['events.hash', 7], ['events.sha256']]] as [string, [string, number?][]],
  ),
  [
    'tampered-field-prev.zip',
    [
      ['events.hash', 7],
      ['events.prev', 7],
    ],
  ],
  [
    'tampered-field-hash.zip',
    [
      ['events.hash', 7],
      ['proofs.inclusion', 7],
      ['events.prev', 8],
    ],
  ],
  ['tampered-event-removed.zip', [['events.count'], ['proofs.coverage', 7]]],
  ['tampered-events-swapped.zip', [['events.order', 7]]],
  [
    'tampered-foreign-event.zip',
    [
      ['events.org', 7],
      ['events.prev', 7],
      ['proofs.inclusion', 7],
    ],
  ],
  ['tampered-noncanonical-line.zip', [['events.format']]],
  ['tampered-manifest-edited.zip', [['manifest.signature']]],
  ['tampered-checkpoint-root.zip', [['checkpoint.signature'], ['proofs.inclusion', 1]]],
  ['tampered-proof-path.zip', [['proofs.inclusion', 7], ['proofs.sha256']]],
  ['tampered-events-truncated.zip', [['events.format'], ['events.count'], ['events.sha256']]],
  ['hostile-extra-entry.zip', [['archive.entries']]],
  ['hostile-path-traversal.zip', [['archive.entries']]],
];

const UNUSABLE: [file: string, reason: RegExp][] = [
  ['hostile-zip-bomb.zip', /manifest\.json" declares 67108864 bytes, above the limit/],
  ['hostile-lying-size.zip', /events\.jsonl" inflates beyond its declared 1000 bytes/],
  ['hostile-deep-json.zip', /nests deeper than 64 levels/],
  ['hostile-truncated-archive.zip', /not a ZIP archive, or the archive is truncated/],
];

const failures = (report: VerifyReport) => report.checks.filter((c) => !c.ok);

describe.each([
  ['portable', {}],
  ['node', nodeAdapters],
  ['node, proofs on a worker thread', { ...nodeAdapters, parallelProofs: proofsThread({ minBytes: 0 }) }],
])('golden fixtures (%s crypto and inflate)', (_name, adapters) => {
  it.each(['valid-full.zip', 'valid-filtered.zip'])('%s is valid pinned, unproven unpinned', async (file) => {
    const open = await verifyPack(read(file), adapters);
    expect(failures(open)).toEqual([]);
    expect(open).toMatchObject({ status: 'unproven', valid: false, signer: 'unproven' });
    expect(open.warnings.join(' ')).toMatch(/anyone could have made such a key/);
    for (const trust of [pinned, listTrust]) {
      const report = await verifyPack(read(file), { ...adapters, trust });
      expect(failures(report)).toEqual([]);
      expect(report).toMatchObject({ status: 'valid', valid: true, signer: 'pinned' });
      expect(report.warnings).toEqual([]);
      expect(report.checks.find((c) => c.id === 'signing-key.pinned')?.ok).toBe(true);
    }
    expect(open.eventCount).toBe(file === 'valid-full.zip' ? 24 : 6);
  });

  it.each(INVALID)('%s is invalid for the right reason', async (file, expected) => {
    const report = await verifyPack(read(file), { ...adapters, trust: pinned });
    expect(report.status).toBe('invalid');
    for (const [id, seq] of expected) {
      const check = report.checks.find((c) => c.id === id);
      expect(check, `${id} should fail`).toMatchObject({ ok: false });
      if (seq !== undefined) expect(check?.seq).toBe(seq);
    }
  });

  it.each(UNUSABLE)('%s is refused as unusable', async (file, reason) => {
    const report = await verifyPack(read(file), adapters);
    expect(report.status).toBe('unusable');
    expect(report.error).toMatch(reason);
  });

  it('names only the swapped events, not their neighbours', async () => {
    const report = await verifyPack(read('tampered-events-swapped.zip'), adapters);
    expect(failures(report).map((c) => [c.id, c.seq])).toEqual([
      ['events.order', 7],
      ['events.sha256', undefined],
    ]);
  });

  // A forger rebuilds chain, tree and checkpoint and signs with a key of their own: every check
  // that needs no trusted key passes, so only pinning tells this from a genuine pack.
  it.each(['resigned-other-key.zip', 'resigned-rebuilt-chain.zip'])(
    '%s is unproven alone and fails against the pinned key or key list',
    async (file) => {
      const zip = read(file);
      const open = await verifyPack(zip, adapters);
      expect(failures(open)).toEqual([]);
      expect(open).toMatchObject({ status: 'unproven', valid: false, signer: 'unproven' });
      for (const trust of [pinned, listTrust]) {
        const report = await verifyPack(zip, { ...adapters, trust });
        expect(report).toMatchObject({ status: 'invalid', valid: false, signer: 'untrusted' });
        expect(failures(report).map((c) => c.id)).toEqual(['signing-key.pinned']);
      }
    },
  );

  it('the rebuilt chain really lacks the deleted event and carries the edit', async () => {
    const report = await verifyPack(read('resigned-rebuilt-chain.zip'), adapters);
    expect(report.eventCount).toBe(23);
    expect(report.checkpoint?.size).toBe(23);
    const genuine = await verifyPack(read('valid-full.zip'), adapters);
    expect(report.checkpoint?.root).not.toBe(genuine.checkpoint?.root);
  });
});
