import { type Actor, type EventData, type EventStore, PLATFORM_ORG } from '@proofpane/core';
import {
  checkpointSignedEvent,
  packExportedEvent,
  type SignedCheckpoint,
  signingKeyRotatedEvent,
} from './events.js';

/** Records a signed tree head in the chain of the org it covers. */
export async function recordCheckpoint(options: {
  store: EventStore;
  checkpoint: SignedCheckpoint;
}): Promise<void> {
  await options.store.append({
    org: options.checkpoint.org,
    events: [checkpointSignedEvent(options.checkpoint)],
  });
}

/** Records an Evidence Pack export in the org's chain (the pack itself is streamed by the server). */
export async function recordPackExport(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  manifestSha256: string;
  eventCount: number;
  checkpointSize: number;
  selection: EventData<'cp.evidence.pack.exported'>['selection'];
}): Promise<void> {
  const { store, org, ...pack } = options;
  await store.append({ org, events: [packExportedEvent(pack)] });
}

/** Records a rotation of the platform signing key in the platform stream. */
export async function recordSigningKeyRotation(options: {
  store: EventStore;
  retiredKeyId: string;
  currentKeyId: string;
}): Promise<void> {
  const { store, ...keys } = options;
  await store.append({ org: PLATFORM_ORG, events: [signingKeyRotatedEvent(keys)] });
}
