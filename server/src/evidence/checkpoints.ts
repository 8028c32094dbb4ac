import { recordCheckpoint } from '@proofpane/commands';
import { type EventStore, merkleHasher, type Signer, signCheckpoint } from '@proofpane/core';
import { MerkleFrontier } from '@proofpane/evidence-verifier';

const MAX_FRONTIERS = 10_000;

/**
 * Each org's tree as far as this process has hashed it. A tick reads and hashes only the events
 * added since, so a periodic checkpoint costs what the chain grew by, not its whole length.
 */
function createFrontiers(store: EventStore) {
  const frontiers = new Map<string, MerkleFrontier>();
  return async (org: string, size: number): Promise<string> => {
    let frontier = frontiers.get(org);
    // A chain never shrinks; a frontier ahead of it belongs to a database that was replaced.
    if (!frontier || frontier.size > size) {
      if (frontiers.size >= MAX_FRONTIERS) frontiers.clear();
      frontier = new MerkleFrontier(merkleHasher);
      frontiers.set(org, frontier);
    }
    if (frontier.size < size) {
      const hashes = await store.hashes({ org, fromSeq: frontier.size + 1, toSeq: size });
      for (const hash of hashes) frontier.push(merkleHasher.leaf(Buffer.from(hash, 'hex')));
    }
    return Buffer.from(frontier.root()).toString('hex');
  };
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
  const rootAt = createFrontiers(options.store);
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
        const root = await rootAt(org, head.seq);
        const time = (options.now?.() ?? new Date()).toISOString();
        const checkpoint = signCheckpoint({ org, size: head.seq, root, time }, options.signer());
        await recordCheckpoint({ store: options.store, checkpoint });
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
