import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  type EventEnvelope,
  PACK_FORMAT,
  verifyPack,
} from '../../../evidence-verifier/src/index.js';
import { syntheticChain } from '../../../evidence-verifier/test/synthetic-chain.js';
import { sha256Hex } from '../crypto/sha256.js';
import { SigningKeyring } from '../crypto/signing-keys.js';
import { buildEvidencePack } from './build-evidence-pack.js';

const chain = [...syntheticChain({ org: 'org_acme', count: 41 })];
const signer = SigningKeyring.ephemeral().signer;
const pin = { kind: 'key' as const, publicKey: signer.publicKey };
const build = (events: EventEnvelope[], overrides: Partial<Parameters<typeof buildEvidencePack>[0]> = {}) =>
  buildEvidencePack({
    org: 'org_acme',
    createdAt: '2026-03-02T10:00:00.000Z',
    selection: { subject: 'call/3' },
    events,
    treeHashes: chain.map((e) => e.hash),
    checkpointTime: '2026-03-02T09:59:00.000Z',
    signer,
    ...overrides,
  });

describe('buildEvidencePack', () => {
  it('writes exactly the four entries, events as JCS lines, and a manifest describing them', () => {
    const pack = build(chain.slice(6, 9));
    const files = unzipSync(pack.zip);
    expect(Object.keys(files)).toEqual(['manifest.json', 'manifest.sig', 'events.jsonl', 'proofs.json']);
    const events = new TextDecoder().decode(files['events.jsonl']);
    expect(events).toBe(
      chain
        .slice(6, 9)
        .map((e) => `${canonicalJson(e)}\n`)
        .join(''),
    );
    expect(Object.keys(JSON.parse(new TextDecoder().decode(files['proofs.json'])) as object)).toEqual([
      '7',
      '8',
      '9',
    ]);
    expect(pack.manifest).toMatchObject({
      format: PACK_FORMAT,
      org: 'org_acme',
      selection: { subject: 'call/3' },
      events: { path: 'events.jsonl', count: 3, sha256: sha256Hex(files['events.jsonl']!) },
      proofs: { path: 'proofs.json', sha256: sha256Hex(files['proofs.json']!) },
      checkpoint: { org: 'org_acme', size: 41, time: '2026-03-02T09:59:00.000Z', keyId: signer.keyId },
      signingKey: { keyId: signer.keyId },
    });
    expect(pack.manifestSha256).toBe(sha256Hex(files['manifest.json']!));
  });

  it('produces packs the verifier accepts: full, filtered, single, empty, last event', async () => {
    for (const events of [chain, chain.filter((e) => e.seq % 5 === 2), [chain[0]!], [], [chain[40]!]]) {
      const report = await verifyPack(build(events).zip, { trust: pin });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.status).toBe('valid');
      expect(report.eventCount).toBe(events.length);
    }
  });

  it('is byte-for-byte reproducible from the same inputs', () => {
    expect(Buffer.from(build(chain).zip).equals(Buffer.from(build(chain).zip))).toBe(true);
  });

  it('refuses events that do not belong to the chain it proves', () => {
    expect(() => build([chain[3]!, chain[2]!])).toThrow(/ascend/);
    expect(() => build([{ ...chain[3]!, org: 'org_other' }])).toThrow(/org_other/);
    expect(() => build([{ ...chain[3]!, hash: 'a'.repeat(64) }])).toThrow(/not the one in the tree/);
    expect(() => build([chain[40]!], { treeHashes: chain.slice(0, 40).map((e) => e.hash) })).toThrow(
      /beyond/,
    );
  });
});
