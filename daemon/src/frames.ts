/*
 * Batch frames (protocol version 2): the messages one end queues in the same turn of the event loop leave as
 * one WebSocket message holding a JSON array, so a burst of calls or results costs one frame, one write and
 * one parse instead of one each. A lone message still leaves as itself, which a version 1 peer reads.
 */

/** A batch stops growing past this many characters, well under either end's `maxPayload` even as UTF-8. */
export const MAX_BATCH_CHARS = 1024 * 1024;

/** The messages of one text frame: the message itself, or each element of a batch; `undefined` if not JSON. */
export function frameValues(text: string): unknown[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Array.isArray(json) ? json : [json];
}

export interface Outbox<T> {
  /** Queues a message; it is written once the current turn's synchronous work and microtasks are done. */
  push(message: T): void;
}

/**
 * Writes what was pushed in one turn together: as batch frames once `batches()` says the peer reads them,
 * else one frame per message. Flushing on a microtask adds no wait: it runs before the event loop moves on.
 */
export function outbox<T>(options: {
  write: (text: string) => void;
  batches: () => boolean;
  maxBatchChars?: number;
  /** Written as soon as this many are queued, so the peer starts on them while the rest are produced. */
  maxBatchMessages?: number;
}): Outbox<T> {
  const maxChars = options.maxBatchChars ?? MAX_BATCH_CHARS;
  const maxMessages = options.maxBatchMessages ?? Number.POSITIVE_INFINITY;
  let queued: string[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const texts = queued;
    queued = [];
    if (!options.batches()) {
      for (const text of texts) options.write(text);
      return;
    }
    let from = 0;
    let chars = 0;
    for (let i = 0; i < texts.length; i++) {
      const length = texts[i]!.length + 1;
      if (i > from && chars + length > maxChars) {
        writeBatch(texts, from, i);
        from = i;
        chars = 0;
      }
      chars += length;
    }
    writeBatch(texts, from, texts.length);
  };

  const writeBatch = (texts: string[], from: number, to: number) => {
    if (to - from === 1) options.write(texts[from]!);
    else options.write(`[${texts.slice(from, to).join(',')}]`);
  };

  return {
    push(message) {
      queued.push(JSON.stringify(message));
      if (queued.length >= maxMessages) return flush();
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(flush);
    },
  };
}
