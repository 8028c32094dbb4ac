import { generateKeyPairSync } from 'node:crypto';
import { catalogue, SYSTEM_ACTOR, signCheckpoint, signerFromPrivateKey } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { checkpointSignedEvent, packExportedEvent, signingKeyRotatedEvent } from './events.js';

const root = 'a'.repeat(64);

describe('evidence events', () => {
  it('records a signed checkpoint on the org it covers, as the system, with its signature intact', () => {
    const signer = signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
    const checkpoint = signCheckpoint(
      { org: 'org_a', size: 7, root, time: '2026-01-01T00:00:00.000Z' },
      signer,
    );
    const event = checkpointSignedEvent(checkpoint);
    expect(event).toEqual({
      type: 'cp.evidence.checkpoint.signed',
      subject: 'checkpoint/org_a',
      actor: SYSTEM_ACTOR,
      data: {
        size: 7,
        root,
        time: '2026-01-01T00:00:00.000Z',
        keyId: checkpoint.keyId,
        signature: checkpoint.signature,
      },
    });
    expect(catalogue['cp.evidence.checkpoint.signed'].safeParse(event.data).success).toBe(true);
  });

  it('names an exported pack by the first half of its manifest hash, keeping the whole hash in the data', () => {
    const manifestSha256 = `${'1'.repeat(32)}${'2'.repeat(32)}`;
    const actor = { kind: 'user', id: 'usr_1' } as const;
    const event = packExportedEvent({
      actor,
      manifestSha256,
      eventCount: 3,
      checkpointSize: 9,
      selection: { runId: 'run_1' },
    });
    expect(event.subject).toBe(`pack/${'1'.repeat(32)}`);
    expect(event.actor).toEqual(actor);
    expect(event.data).toEqual({
      manifestSha256,
      eventCount: 3,
      checkpointSize: 9,
      selection: { runId: 'run_1' },
    });
    expect(catalogue['cp.evidence.pack.exported'].safeParse(event.data).success).toBe(true);
  });

  it('records a key rotation under the new key, as the CLI', () => {
    expect(signingKeyRotatedEvent({ retiredKeyId: 'key_old', currentKeyId: 'key_new' })).toEqual({
      type: 'cp.platform.signing-key.rotated',
      subject: 'signing-key/key_new',
      actor: { kind: 'system', id: 'cli' },
      data: { retiredKeyId: 'key_old', currentKeyId: 'key_new' },
    });
  });
});
