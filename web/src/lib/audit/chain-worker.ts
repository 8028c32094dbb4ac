/// <reference lib="webworker" />
import { GENESIS_PREV, hashInput } from '@proofpane/evidence-verifier';
import type { AuditEvent } from './types';

/**
 * Walks the org chain from seq 1 off the main thread: recomputes each event's SHA-256 over its JCS
 * form (RFC 8785) and checks that `prev` links to the previous hash, then follows new events.
 */
export type ChainMessage =
  | { kind: 'progress'; verifiedTo: number }
  | { kind: 'verified'; verifiedTo: number }
  | { kind: 'broken'; seq: number; reason: string; verifiedTo: number }
  | { kind: 'error'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const encoder = new TextEncoder();
let run = 0;

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

async function walk(token: string, id: number) {
  let prev = GENESIS_PREV;
  let verifiedTo = 0;
  const post = (message: ChainMessage) => {
    if (id === run) scope.postMessage(message);
  };
  for (;;) {
    const response = await fetch(`/api/audit?limit=1000${verifiedTo > 0 ? `&after=${verifiedTo}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (id !== run) return;
    if (!response.ok) {
      post({ kind: 'error', message: `the audit API answered ${response.status}` });
      return;
    }
    const page = (await response.json()) as { events: AuditEvent[]; next: string | null };
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
    if (page.next !== null) {
      post({ kind: 'progress', verifiedTo });
      continue;
    }
    post({ kind: 'verified', verifiedTo });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    if (id !== run) return;
  }
}

scope.onmessage = (message: MessageEvent<{ token: string | null }>) => {
  run++;
  const token = message.data.token;
  if (!token) return;
  walk(token, run).catch((error: unknown) => {
    scope.postMessage({ kind: 'error', message: (error as Error).message } satisfies ChainMessage);
  });
};
