import { recordCheckpoint, recordPackExport } from '@proofpane/commands';
import { type Actor, buildEvidencePack, type EventStore, type Signer, sha256Hex } from '@proofpane/core';
import { apiError } from '../http/errors.js';
import { type Selection, selectEvents } from './selection.js';

/**
 * The selection as the export event records it: an explicit seq list becomes its count and SHA-256 (the
 * manifest keeps the list itself), so the event stays small.
 */
function recordedSelection(selection: Selection & { label?: string }): Record<string, unknown> {
  const { seqs, ...rest } = selection;
  if (!seqs) return rest;
  return { ...rest, seqCount: seqs.length, seqsSha256: sha256Hex(seqs.join(',')) };
}

/**
 * Exports a signed Evidence Pack of `org`'s chain as it stands now: signs a checkpoint over
 * the whole chain, proves each selected event against it, and records the export as an event
 * holding the manifest's hash.
 */
export async function exportEvidencePack(options: {
  store: EventStore;
  signer: Signer;
  org: string;
  selection: Selection;
  /** What the pack is of, for the manifest and the export event (e.g. `control:EU-AI-ACT:Art.12`). */
  label?: string;
  actor: Actor;
  now: () => Date;
}) {
  const { store, org } = options;
  const selection = options.label ? { ...options.selection, label: options.label } : options.selection;
  const head = await store.head(org);
  if (!head) throw apiError('not_found', 'this organisation has no events yet');
  const hashes = await store.hashes({ org, toSeq: head.seq });
  const events = await selectEvents({ store, org, headSeq: head.seq, selection });
  const now = options.now().toISOString();
  const pack = buildEvidencePack({
    org,
    createdAt: now,
    selection,
    events,
    treeHashes: hashes,
    checkpointTime: now,
    signer: options.signer,
  });
  await recordCheckpoint({ store, checkpoint: pack.manifest.checkpoint });
  await recordPackExport({
    store,
    org,
    actor: options.actor,
    manifestSha256: pack.manifestSha256,
    eventCount: pack.manifest.events.count,
    checkpointSize: head.seq,
    selection: recordedSelection(selection),
  });
  return pack;
}
