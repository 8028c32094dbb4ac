import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../chain/hex.js';
import { portableSha256, type Sha256 } from '../chain/sha256.js';
import { checkArchive } from './archive-checks.js';
import { EventsChecker } from './events-checker.js';
import { ENTRY, type PackManifest } from './format.js';
import {
  checkDeclared,
  entryChunks,
  type Inflater,
  portableInflate,
  type RatioLimits,
  readEntry,
} from './inflate.js';
import { DEFAULT_LIMITS, type PackLimits } from './limits.js';
import { parseManifest } from './manifest.js';
import type { ParallelProofs, ParallelProofsRun } from './parallel-proofs.js';
import { checkProofs, holdsWholeChain, passAllProofs } from './proofs-checks.js';
import { CheckLog, UnusablePackError, type VerifyReport } from './report.js';
import { checkSignatures } from './signature-checks.js';
import { type PackInput, type PackSource, SourceError, toPackSource } from './source.js';
import type { TrustedKeys } from './trusted-keys.js';
import { readZipDirectory, type ZipEntry } from './zip-directory.js';

/** An incremental SHA-256, for hashing whole entries as they stream. */
export interface IncrementalSha256 {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

/** Everything is injectable so the same code runs in a browser and, faster, under Node. */
export interface VerifyOptions {
  /**
   * The key(s) the auditor trusts. Without them a pack that passes every check is `unproven`,
   * not `valid`: anyone can make a key and sign a rebuilt pack with it.
   */
  trust?: TrustedKeys | undefined;
  sha256?: Sha256;
  createSha256?: () => IncrementalSha256;
  inflate?: Inflater;
  /** A helper that checks a whole-chain pack's proofs on another thread while events are read. */
  parallelProofs?: ParallelProofs;
  limits?: Partial<PackLimits>;
}

const portableIncremental = (): IncrementalSha256 => nobleSha256.create();

/**
 * Verifies a `proofpane.evidence-pack/1` archive (docs/evidence-pack.md): bytes in memory, a Blob
 * or any random-access source, read by offset so that the archive is never held whole. Never
 * throws on bad input: the report says `unusable` (not a readable pack) or lists each check, and
 * says `unproven` when every check passed but no trusted key was given.
 */
export async function verifyPack(input: PackInput, options: VerifyOptions = {}): Promise<VerifyReport> {
  const log = new CheckLog();
  let eventCount = 0;
  let manifest: PackManifest | undefined;
  let parallel: ParallelProofsRun | undefined;
  try {
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const sha256 = options.sha256 ?? portableSha256;
    const createSha256 = options.createSha256 ?? portableIncremental;
    const inflate = options.inflate ?? portableInflate;
    const zip = toPackSource(input);
    const entries = checkArchive(await readZipDirectory(zip, limits), log);
    checkDeclaredSizes(entries, limits);
    const manifestEntry = entries.get(ENTRY.manifest);
    const signatureEntry = entries.get(ENTRY.signature);
    if (!manifestEntry || !signatureEntry)
      throw new UnusablePackError('pack has no manifest.json or manifest.sig');
    const manifestBytes = await readEntry(zip, manifestEntry, inflate, limits.manifestBytes, limits);
    manifest = parseManifest(manifestBytes, limits.depth);
    const signature = await readEntry(zip, signatureEntry, inflate, limits.signatureBytes, limits);
    checkSignatures({ manifest, manifestBytes, signature, trust: options.trust, sha256, log });

    const events = new EventsChecker({
      org: manifest.org,
      checkpointSize: manifest.checkpoint.size,
      sha256,
      limits,
      log,
    });
    const eventsEntry = entries.get(ENTRY.events);
    const proofsEntry = entries.get(ENTRY.proofs);
    // A whole chain's proofs take several bytes per event, so a checkpoint far larger than
    // proofs.json cannot be the whole chain: no helper is started to size a tree for it.
    if (proofsEntry && options.parallelProofs && manifest.checkpoint.size * 5 <= proofsEntry.size)
      parallel = options.parallelProofs({
        source: zip,
        entry: proofsEntry,
        limit: limits.proofsBytes,
        ratio: ratioOf(limits),
        checkpointSize: manifest.checkpoint.size,
        root: fromHex(manifest.checkpoint.root),
      });
    if (eventsEntry) {
      let leavesSent = 0;
      const digest = await streamEntry(
        zip,
        eventsEntry,
        { inflate, limit: limits.eventsBytes, ratio: ratioOf(limits), createSha256 },
        (c) => {
          events.push(c);
          if (parallel && events.seqs.length > leavesSent) {
            parallel.addLeaves(events.leaves.subarray(leavesSent * 32, events.seqs.length * 32));
            leavesSent = events.seqs.length;
          }
        },
      );
      events.finish();
      eventCount = events.lines;
      for (const [id, message] of Object.entries(EVENT_CHECKS)) log.settle(id, message);
      fileHashCheck(log, 'events.sha256', ENTRY.events, digest, manifest.events.sha256);
      if (events.lines === manifest.events.count)
        log.pass('events.count', `${events.lines} events, as the manifest says`);
      else
        log.fail(
          'events.count',
          `events.jsonl holds ${events.lines} events; the manifest says ${manifest.events.count}`,
        );
    }

    const size = manifest.checkpoint.size;
    const shown =
      parallel && eventsEntry && holdsWholeChain(events.seqs, size) ? await parallel.result() : undefined;
    if (proofsEntry && shown?.allHold) {
      passAllProofs(log, size);
      fileHashCheck(log, 'proofs.sha256', ENTRY.proofs, shown.sha256, manifest.proofs.sha256);
    } else if (proofsEntry) {
      const proofs = checkProofs({
        size: manifest.checkpoint.size,
        root: fromHex(manifest.checkpoint.root),
        seqs: events.seqs,
        leaves: events.leaves,
        log,
      });
      const digest = await streamEntry(
        zip,
        proofsEntry,
        { inflate, limit: limits.proofsBytes, ratio: ratioOf(limits), createSha256 },
        (c) => proofs.push(c),
      );
      proofs.finish();
      fileHashCheck(log, 'proofs.sha256', ENTRY.proofs, digest, manifest.proofs.sha256);
    }
    return report(log, eventCount, manifest);
  } catch (error) {
    if (!(error instanceof UnusablePackError || error instanceof SourceError)) throw error;
    return { ...report(log, eventCount, manifest), status: 'unusable', valid: false, error: error.message };
  } finally {
    parallel?.cancel();
  }
}

const EVENT_CHECKS: Record<string, string> = {
  'events.format': 'every line is a complete envelope in canonical JCS',
  'events.org': "every event belongs to the pack's org",
  'events.hash': 'every event hash is SHA-256 of JCS(envelope without hash)',
  'events.order': 'seqs ascend',
  'events.range': 'every seq lies within the checkpoint',
  'events.prev': 'prev links hold between consecutive seqs, and seq 1 starts from 64 zeros',
};

const ratioOf = (limits: PackLimits): RatioLimits => ({
  inflationRatio: limits.inflationRatio,
  ratioExemptBytes: limits.ratioExemptBytes,
});

/**
 * Refuses the pack for any entry's declared size, compression or ratio, and for the declared sizes
 * together, before anything is inflated. Inflating never produces more than an entry declares
 * (entryChunks stops it), so these bound all that reading the pack can produce.
 */
function checkDeclaredSizes(entries: Map<string, ZipEntry>, limits: PackLimits): void {
  const limit: Record<string, number> = {
    [ENTRY.manifest]: limits.manifestBytes,
    [ENTRY.signature]: limits.signatureBytes,
    [ENTRY.events]: limits.eventsBytes,
    [ENTRY.proofs]: limits.proofsBytes,
  };
  let total = 0;
  for (const [name, entry] of entries) {
    checkDeclared(entry, limit[name] ?? 0, limits);
    total += entry.size;
  }
  if (total > limits.totalBytes)
    throw new UnusablePackError(
      `entries declare ${total} bytes in all, above the limit of ${limits.totalBytes}`,
    );
}

async function streamEntry(
  zip: PackSource,
  entry: ZipEntry,
  options: { inflate: Inflater; limit: number; ratio: RatioLimits; createSha256: () => IncrementalSha256 },
  onChunk: (chunk: Uint8Array) => void,
): Promise<string> {
  const hash = options.createSha256();
  for await (const chunk of entryChunks(zip, entry, options.inflate, options.limit, options.ratio)) {
    hash.update(chunk);
    onChunk(chunk);
  }
  return toHex(hash.digest());
}

function fileHashCheck(log: CheckLog, id: string, name: string, actual: string, expected: string): void {
  if (actual === expected) log.pass(id, `${name} has the SHA-256 the manifest states`);
  else log.fail(id, `${name} has SHA-256 ${actual}; the manifest states ${expected}`);
}

function report(log: CheckLog, eventCount: number, manifest: PackManifest | undefined): VerifyReport {
  const pinned = log.checks.find((c) => c.id === 'signing-key.pinned');
  const signer = pinned === undefined ? 'unproven' : pinned.ok ? 'pinned' : 'untrusted';
  const intact = !log.anyFailed && manifest !== undefined;
  const status = !intact ? 'invalid' : signer === 'pinned' ? 'valid' : 'unproven';
  const out: VerifyReport = {
    status,
    valid: status === 'valid',
    signer,
    checks: log.checks,
    warnings: log.warnings,
    eventCount,
  };
  if (manifest) {
    out.org = manifest.org;
    out.keyId = manifest.signingKey.keyId;
    const { size, root, time } = manifest.checkpoint;
    out.checkpoint = { size, root, time };
  }
  return out;
}
