import { generateKeyPairSync } from 'node:crypto';
import {
  merkleHasher,
  PostgresEventStore,
  catalogue as productCatalogue,
  signerFromPrivateKey,
  verifySignature,
} from '@proofpane/core';
import { createTestDatabase, noted, testCatalogue, testDrivers } from '@proofpane/core/testing';
import { checkpointSigningInput, merkleRoot } from '@proofpane/evidence-verifier';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpoints.js';

const catalogue = { ...testCatalogue, ...productCatalogue };

for (const driver of testDrivers) {
  describe(`periodic checkpoints on ${driver}`, () => {
    it('sign the root of the whole chain at each tick, hashing only what was added since', async () => {
      const test = await createTestDatabase(driver);
      const store = await PostgresEventStore.open({ database: test.database, catalogue });
      const signer = signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
      const org = 'org_checkpoints';
      const hashReads: { fromSeq?: number | undefined; toSeq: number }[] = [];
      const spied = Object.assign(Object.create(store) as PostgresEventStore, {
        hashes: (o: { org: string; fromSeq?: number; toSeq: number }) => {
          hashReads.push({ fromSeq: o.fromSeq, toSeq: o.toSeq });
          return store.hashes(o);
        },
      });
      const checkpointer = startCheckpointer({
        store: spied,
        signer: () => signer,
        intervalMs: 20,
        everyEvents: 1,
        onError: (error) => {
          throw error;
        },
      });
      const signed = async (count: number) => {
        await expect
          .poll(async () =>
            (await store.readOrg({ org })).filter((e) => e.type === 'cp.evidence.checkpoint.signed'),
          )
          .toHaveLength(count);
        return (await store.readOrg({ org })).filter((e) => e.type === 'cp.evidence.checkpoint.signed');
      };
      try {
        await store.append({ org, events: [noted(1), noted(2), noted(3)] });
        const [first] = await signed(1);
        await store.append({ org, events: [noted(4), noted(5)] });
        const checkpoints = await signed(2);
        await checkpointer.stop();

        for (const event of checkpoints) {
          const data = event.data as { size: number; root: string; time: string; signature: string };
          const hashes = await store.hashes({ org, toSeq: data.size });
          const root = merkleRoot(
            merkleHasher,
            hashes.map((h) => merkleHasher.leaf(Buffer.from(h, 'hex'))),
          );
          expect(data.root).toBe(Buffer.from(root).toString('hex'));
          const unsigned = { org, size: data.size, root: data.root, time: data.time, keyId: signer.keyId };
          expect(
            verifySignature(
              signer.publicKey,
              checkpointSigningInput(unsigned),
              Buffer.from(data.signature, 'base64'),
            ),
          ).toBe(true);
        }
        expect((first!.data as { size: number }).size).toBe(3);
        // The second tick read seq 4 onwards (the first checkpoint's own event included), not 1..n again.
        expect(hashReads).toEqual([
          { fromSeq: 1, toSeq: 3 },
          { fromSeq: 4, toSeq: 6 },
        ]);
      } finally {
        await checkpointer.stop();
        await store.close();
        await test.dispose();
      }
    });
  });
}
