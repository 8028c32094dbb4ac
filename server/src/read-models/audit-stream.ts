import { AUDIT_STREAM_EVENT } from '@proofpane/api';
import type { EventEnvelope, EventStore } from '@proofpane/core';
import { type AuditFilter, matchesAudit } from '@proofpane/projections';
import type { LiveHub } from './live-hub.js';
import { type SseStream, sseFrame } from './sse.js';

const PAGE = 1_000;

/** The hub hands the same envelope to every stream of an org: encode its frame once, not once per client. */
const frames = new WeakMap<EventEnvelope, Buffer>();
function frameOf(event: EventEnvelope): Buffer {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = sseFrame({ id: event.seq, event: AUDIT_STREAM_EVENT, data: JSON.stringify(event) });
    frames.set(event, frame);
  }
  return frame;
}

/**
 * Streams an org's events after `afterSeq` to one SSE client: catch-up from the store by seq, then
 * live from the hub. One queue per client keeps the order; the seq (gapless per org) is the
 * `id:`, so a client resuming with Last-Event-ID misses nothing and sees nothing twice.
 */
export function streamAudit(options: {
  store: EventStore;
  hub: LiveHub;
  org: string;
  filter: AuditFilter;
  afterSeq: number;
  sse: SseStream;
  onError(error: unknown): void;
}): void {
  const { store, org, filter, sse } = options;
  let lastSeen = options.afterSeq;
  let queue = Promise.resolve();

  const emit = (event: EventEnvelope) => {
    lastSeen = event.seq;
    if (matchesAudit(event, filter)) sse.send(frameOf(event));
  };
  const fill = async (toSeq: number) => {
    while (!sse.closed && lastSeen < toSeq) {
      const page = await store.readOrg({ org, fromSeq: lastSeen + 1, toSeq, limit: PAGE });
      for (const event of page) emit(event);
      if (page.length < PAGE) return;
    }
  };
  const deliver = async (events: EventEnvelope[]) => {
    for (const event of events) {
      if (sse.closed) return;
      if (event.seq <= lastSeen) continue;
      if (event.seq > lastSeen + 1) await fill(event.seq - 1);
      emit(event);
    }
  };
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => {
      options.onError(error);
      sse.end();
    });
  };

  // Catch-up starts once the hub delivers, so no event falls between the two.
  enqueue(async () => {
    const unlisten = await options.hub.listen(org, (events) => enqueue(() => deliver(events)));
    sse.onClose(unlisten);
    await fill(Number.MAX_SAFE_INTEGER);
  });
}
