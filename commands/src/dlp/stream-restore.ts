import { restore } from './mask.js';
import type { DlpVault } from './types.js';

/** Restores placeholders in a streamed answer, chunk by chunk. */
export interface StreamRestorer {
  /** Returns the text that is safe to emit now; a possible placeholder prefix at the end is held back. */
  push(chunk: string): string;
  /** Returns whatever is still held back, restored. Call once at the end of the stream. */
  flush(): string;
}

const PARTIAL = /^\[[A-Z_]*\d*$/;

/**
 * Holds back only the tail that could still become a placeholder (`[EMA`, `[EMAIL_1`), never more than
 * the longest placeholder in the vault, so a value split across chunks is restored without delaying text.
 */
export function createStreamRestorer(options: { vault: DlpVault }): StreamRestorer {
  const { vault } = options;
  const maxLength = Math.max(0, ...Object.keys(vault).map((k) => k.length));
  let pending = '';

  return {
    push(chunk) {
      pending += chunk;
      if (maxLength === 0) {
        const out = pending;
        pending = '';
        return out;
      }
      let holdFrom = pending.length;
      const open = pending.lastIndexOf('[');
      if (open !== -1 && pending.length - open < maxLength && PARTIAL.test(pending.slice(open)))
        holdFrom = open;
      const ready = pending.slice(0, holdFrom);
      pending = pending.slice(holdFrom);
      return restore({ text: ready, vault });
    },
    flush() {
      const out = restore({ text: pending, vault });
      pending = '';
      return out;
    },
  };
}
