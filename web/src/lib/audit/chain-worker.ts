/// <reference lib="webworker" />

import type { AuditPage } from '@proofpane/api';
import { GENESIS_PREV, hashInput } from '@proofpane/evidence-verifier';

/**
 * Walks the org chain off the main thread, from seq 1 or from where this browser verified it
 * before: recomputes each event's SHA-256 over its JCS form (RFC 8785) and checks that `prev` links
 * to the previous hash, then follows new events.
 */
export type ChainMessage =
  | { kind: 'progress'; verifiedTo: number; hash: string }
  | { kind: 'verified'; verifiedTo: number; hash: string }
  | { kind: 'broken'; seq: number; reason: string; verifiedTo: number }
  | { kind: 'error'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const encoder = new TextEncoder();
let run = 0;
const PAGE = 1000;

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** Where this browser already verified the chain to; the walk goes on from there. */
export interface ChainCheckpoint {
  seq: number;
  hash: string;
}

async function walk(token: string, id: number, from: ChainCheckpoint | null) {
  let prev = from?.hash ?? GENESIS_PREV;
  let verifiedTo = from?.seq ?? 0;
  const post = (message: ChainMessage) => {
    if (id === run) scope.postMessage(message);
  };
  for (;;) {
    // Seq windows rather than the `after` cursor: the window query is an index range scan.
    const response = await fetch(
      `/api/audit?fromSeq=${verifiedTo + 1}&toSeq=${verifiedTo + PAGE}&limit=${PAGE}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (id !== run) return;
    if (!response.ok) {
      post({ kind: 'error', message: `the audit API answered ${response.status}` });
      return;
    }
    const page = (await response.json()) as AuditPage;
    for (const event of page.events) {
      if (event.seq !== verifiedTo + 1) {
        post({ kind: 'broken', seq: verifiedTo + 1, reason: `seq ${verifiedTo + 1} is missing`, verifiedTo });
        return;
      }
      if (event.prev !== prev) {
        post({ kind: 'broken', seq: event.seq, reason: 'prev does not match the previous hash', verifiedTo });
        return;
      }
      const digest = hex(await crypto.subtle.digest('SHA-256', encoder.encode(hashInput(event))));
      if (digest !== event.hash) {
        post({ kind: 'broken', seq: event.seq, reason: 'the hash does not match the envelope', verifiedTo });
        return;
      }
      prev = event.hash;
      verifiedTo = event.seq;
    }
    if (page.events.length === PAGE) {
      post({ kind: 'progress', verifiedTo, hash: prev });
      // A breath between pages keeps the walk from crowding out the page's own requests.
      await new Promise((resolve) => setTimeout(resolve, 25));
      if (id !== run) return;
      continue;
    }
    post({ kind: 'verified', verifiedTo, hash: prev });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    if (id !== run) return;
  }
}

scope.onmessage = (message: MessageEvent<{ token: string | null; from: ChainCheckpoint | null }>) => {
  run++;
  const token = message.data.token;
  if (!token) return;
  walk(token, run, message.data.from).catch((error: unknown) => {
    scope.postMessage({ kind: 'error', message: (error as Error).message } satisfies ChainMessage);
  });
};
