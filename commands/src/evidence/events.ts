import {
  type Actor,
  type EventData,
  type NewEvent,
  SYSTEM_ACTOR,
  type signCheckpoint,
} from '@proofpane/core';

/** A tree head of one org's chain with the platform key's signature over it. */
export type SignedCheckpoint = ReturnType<typeof signCheckpoint>;

/**
 * A signed tree head as an event of the org it covers. The platform signs it, not a person, so the
 * actor is the system whoever asked for it (a pack export or the periodic checkpointer).
 */
export function checkpointSignedEvent(
  checkpoint: SignedCheckpoint,
): NewEvent<'cp.evidence.checkpoint.signed', EventData<'cp.evidence.checkpoint.signed'>> {
  return {
    type: 'cp.evidence.checkpoint.signed',
    subject: `checkpoint/${checkpoint.org}`,
    actor: SYSTEM_ACTOR,
    data: {
      size: checkpoint.size,
      root: checkpoint.root,
      time: checkpoint.time,
      keyId: checkpoint.keyId,
      signature: checkpoint.signature,
    },
  };
}

/**
 * An exported Evidence Pack, named by its manifest's hash: the chain records that the pack exists and
 * what it selected, so an auditor handed a pack can find its export in the chain.
 */
export function packExportedEvent(options: {
  actor: Actor;
  manifestSha256: string;
  eventCount: number;
  checkpointSize: number;
  selection: EventData<'cp.evidence.pack.exported'>['selection'];
}): NewEvent<'cp.evidence.pack.exported', EventData<'cp.evidence.pack.exported'>> {
  return {
    type: 'cp.evidence.pack.exported',
    subject: `pack/${options.manifestSha256.slice(0, 32)}`,
    actor: options.actor,
    data: {
      manifestSha256: options.manifestSha256,
      eventCount: options.eventCount,
      checkpointSize: options.checkpointSize,
      selection: options.selection,
    },
  };
}

/** The platform key was rotated from the CLI: the retired key still verifies what it signed. */
export function signingKeyRotatedEvent(options: {
  retiredKeyId: string;
  currentKeyId: string;
}): NewEvent<'cp.platform.signing-key.rotated', EventData<'cp.platform.signing-key.rotated'>> {
  return {
    type: 'cp.platform.signing-key.rotated',
    subject: `signing-key/${options.currentKeyId}`,
    data: { retiredKeyId: options.retiredKeyId, currentKeyId: options.currentKeyId },
    actor: { kind: 'system', id: 'cli' },
  };
}
