import { type EventStore, merkleHasher, type Signer, SYSTEM_ACTOR, signCheckpoint } from '@proofpane/core';
import { merkleRoot, type SignedCheckpoint } from '@proofpane/evidence-verifier';

/** Signs the org's tree head at `hashes.length` and records it as an event. */
export async function recordCheckpoint(options: {
  store: EventStore;
  signer: Signer;
  org: string;
  hashes: readonly string[];
  time: string;
}): Promise<SignedCheckpoint> {
  const { store, org, hashes } = options;
  const root = Buffer.from(
    merkleRoot(
      merkleHasher,
      hashes.map((h) => merkleHasher.leaf(Buffer.from(h, 'hex'))),
    ),
  ).toString('hex');
  const checkpoint = signCheckpoint({ org, size: hashes.length, root, time: options.time }, options.signer);
  await store.append({
    org,
    events: [
      {
        type: 'cp.evidence.checkpoint.signed',
        subject: `checkpoint/${org}`,
        actor: SYSTEM_ACTOR,
        data: {
          size: checkpoint.size,
          root: checkpoint.root,
          time: checkpoint.time,
          keyId: checkpoint.keyId,
          signature: checkpoint.signature,
        },
      },
    ],
  });
  return checkpoint;
}

/**
 * Signs a checkpoint for every org whose chain grew by `everyEvents`, or grew at all
 * since the last tick of `intervalMs`. Never throws: a failing org is logged and retried next tick.
 */
export function startCheckpointer(options: {
  store: EventStore;
  signer: () => Signer;
  intervalMs: number;
  everyEvents: number;
  onError: (error: unknown, org: string) => void;
  now?: () => Date;
}): { stop(): Promise<void> } {
  const covered = new Map<string, number>();
  let running: Promise<void> | undefined;
  let ticks = 0;
  const tick = async () => {
    ticks++;
    const timeDue = ticks % Math.max(1, Math.round(options.intervalMs / pollMs)) === 0;
    for (const org of await options.store.orgs()) {
      try {
        const head = await options.store.head(org);
        const last = covered.get(org) ?? 0;
        if (!head || head.seq <= last) continue;
        if (!timeDue && head.seq - last < options.everyEvents) continue;
        const hashes = await options.store.hashes({ org, toSeq: head.seq });
        await recordCheckpoint({
          store: options.store,
          signer: options.signer(),
          org,
          hashes,
          time: (options.now?.() ?? new Date()).toISOString(),
        });
        // The checkpoint event itself is not news: the next one waits for other events.
        covered.set(org, head.seq + 1);
      } catch (error) {
        options.onError(error, org);
      }
    }
  };
  const pollMs = Math.min(options.intervalMs, 5_000);
  const timer = setInterval(() => {
    running ??= tick().finally(() => {
      running = undefined;
    });
  }, pollMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
