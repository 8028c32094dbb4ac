import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningKeyring } from '../../core/src/crypto/signing-keys.js';
import { buildEvidencePack } from '../../core/src/evidence-pack/index.js';
import { canonicalJson, ENTRY, type EventEnvelope, GENESIS_PREV } from '../src/index.js';
import { syntheticChain } from './synthetic-chain.js';
import {
  bytes,
  type Entries,
  editEvent,
  editJson,
  editLines,
  patchDeclaredSize,
  repack,
  text,
  unpack,
} from './tamper.js';

// Regenerate with: npx tsx evidence-verifier/test/make-fixtures.ts
// Keys come from fixed seeds and Ed25519 signing is deterministic, so the output is reproducible.
const ORG = 'org_acme';
const AT = '2026-03-02T00:00:00.000Z';
const seed = (label: string) => createHash('sha256').update(label).digest('base64');
const signerFor = (label: string) =>
  SigningKeyring.open({
    dataDir: join(tmpdir(), 'proofpane-fixtures-no-keyring'),
    envSeed: seed(label),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });

export const FIXTURE_KEY = signerFor('proofpane fixture key');
const OTHER_KEY = signerFor('someone else');
const chain = [...syntheticChain({ org: ORG, count: 24 })];
const otherOrgChain = [...syntheticChain({ org: 'org_other', count: 24 })];
const treeHashes = chain.map((e) => e.hash);

const build = (
  events: EventEnvelope[],
  selection: Record<string, unknown>,
  ring = FIXTURE_KEY,
  tree = treeHashes,
) =>
  buildEvidencePack({
    org: ORG,
    createdAt: AT,
    selection,
    events,
    treeHashes: tree,
    checkpointTime: AT,
    signer: ring.signer,
  }).zip;

/** Every fixture by file name. */
export function makeFixtures(): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const full = build(chain, {});
  const filtered = build(
    chain.filter((e) => [2, 3, 4, 10, 17, 24].includes(e.seq)),
    { types: ['cp.llm.call.completed'], seq: { from: 2, to: 24 } },
  );
  out.set('valid-full.zip', full);
  out.set('valid-filtered.zip', filtered);
  out.set('resigned-other-key.zip', build(chain, {}, OTHER_KEY));
  // What a forger can make without the platform key: seq 7 deleted and seq 12's cost edited, the
  // chain renumbered and relinked, the tree and checkpoint rebuilt and all of it signed anew.
  const forged = rechain(
    chain
      .filter((e) => e.seq !== 7)
      .map((e) => (e.seq === 12 ? { ...e, data: { ...e.data, costMicroUsd: 1 } } : e)),
  );
  out.set(
    'resigned-rebuilt-chain.zip',
    build(
      forged,
      {},
      OTHER_KEY,
      forged.map((e) => e.hash),
    ),
  );
  const entries = unpack(full);
  const put = (name: string, edited: Entries) => out.set(name, repack(edited));

  const fields: [string, (e: Record<string, unknown>) => void][] = [
    ['org', (e) => (e.org = 'org_evil')],
    ['seq', (e) => (e.seq = 70)],
    ['id', (e) => (e.id = '0195a1b2-0000-7000-8000-ffffffffffff')],
    ['type', (e) => (e.type = 'cp.hitl.resolved')],
    ['subject', (e) => (e.subject = 'call/999')],
    ['subjectVersion', (e) => (e.subjectVersion = 9)],
    ['time', (e) => (e.time = '2026-03-01T09:00:00.001Z')],
    ['actor', (e) => (e.actor = { kind: 'user', id: 'user_mallory' })],
    ['data', (e) => ((e.data as Record<string, unknown>).costMicroUsd = 1)],
    ['meta', (e) => ((e.meta as Record<string, unknown>).runId = 'run_other')],
    ['prev', (e) => (e.prev = 'f'.repeat(64))],
    ['hash', (e) => (e.hash = 'e'.repeat(64))],
  ];
  for (const [field, change] of fields) put(`tampered-field-${field}.zip`, editEvent(entries, 7, change));

  put(
    'tampered-event-removed.zip',
    editLines(entries, (line, i) => (i === 6 ? [] : [line])),
  );
  put(
    'tampered-events-swapped.zip',
    editLines(entries, (line, i) => [i === 6 ? lineAt(entries, 7) : i === 7 ? lineAt(entries, 6) : line]),
  );
  put(
    'tampered-foreign-event.zip',
    editLines(entries, (line, i) => (i === 6 ? [canonicalJson(otherOrgChain[6]!)] : [line])),
  );
  put(
    'tampered-noncanonical-line.zip',
    editLines(entries, (line, i) =>
      i === 6 ? [JSON.stringify(JSON.parse(line), null, 1).replace(/\n/g, '')] : [line],
    ),
  );
  put(
    'tampered-manifest-edited.zip',
    editJson(entries, ENTRY.manifest, (m) => (m.createdAt = '2025-01-01T00:00:00.000Z')),
  );
  put(
    'tampered-checkpoint-root.zip',
    editJson(
      entries,
      ENTRY.manifest,
      (m) => ((m.checkpoint as Record<string, unknown>).root = '0'.repeat(64)),
    ),
  );
  const proofs = text(entries.get(ENTRY.proofs)!);
  const at = proofs.indexOf('"7":["') + 6;
  put(
    'tampered-proof-path.zip',
    new Map(entries).set(ENTRY.proofs, bytes(proofs.slice(0, at) + flip(proofs[at]!) + proofs.slice(at + 1))),
  );
  const events = entries.get(ENTRY.events)!;
  put(
    'tampered-events-truncated.zip',
    new Map(entries).set(ENTRY.events, events.subarray(0, Math.floor(events.length * 0.8))),
  );

  out.set(
    'hostile-zip-bomb.zip',
    repack(new Map(entries).set(ENTRY.manifest, new Uint8Array(64 * 1024 * 1024).fill(32))),
  );
  out.set('hostile-lying-size.zip', patchDeclaredSize(full, ENTRY.events, 1000));
  put('hostile-path-traversal.zip', new Map(entries).set('../escape.sh', bytes('echo owned\n')));
  put('hostile-extra-entry.zip', new Map(entries).set('notes.txt', bytes('not part of the format\n')));
  put(
    'hostile-deep-json.zip',
    new Map(entries).set(ENTRY.manifest, bytes(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
  );
  out.set('hostile-truncated-archive.zip', full.subarray(0, Math.floor(full.length / 2)));
  out.set('keys.json', bytes(`${JSON.stringify({ keys: FIXTURE_KEY.published() }, null, 2)}\n`));
  return out;
}

/** Renumbers events from seq 1 and recomputes each prev and hash, as a consistent chain. */
function rechain(events: EventEnvelope[]): EventEnvelope[] {
  let prev = GENESIS_PREV;
  return events.map(({ hash: _hash, ...body }, i) => {
    const relinked = { ...body, seq: i + 1, prev };
    prev = createHash('sha256').update(canonicalJson(relinked)).digest('hex');
    return { ...relinked, hash: prev };
  });
}

const lineAt = (entries: Entries, index: number) => text(entries.get(ENTRY.events)!).split('\n')[index]!;
const flip = (c: string) => (c === '0' ? '1' : '0');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of makeFixtures()) writeFileSync(join(dir, name), data);
}
