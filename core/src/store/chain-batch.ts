import { sha256Hex } from '../crypto/sha256.js';
import { ConcurrencyError } from '../errors/index.js';
import type { EventEnvelope, NewEvent } from '../events/envelope.js';
import { envelopeBody } from '../events/envelope-body.js';
import { eventId } from '../ids.js';
import type { InlineWrite } from './event-store.js';

/** An append waiting in a store's per-org batch. */
export interface PendingAppend {
  events: NewEvent[];
  expectedVersions: Record<string, number> | undefined;
  /** Rows to write in the events' transaction; such an append is written alone. */
  inline?: InlineWrite | undefined;
  resolve(envelopes: EventEnvelope[]): void;
  reject(error: unknown): void;
}

/** Where an org's chain stands: its last seq, head hash and subject versions. */
export interface ChainTip {
  seq: number;
  prev: string;
  versions: ReadonlyMap<string, number>;
}

export interface ChainedBatch {
  /** Per append: its envelopes, or why its expected versions refused it. */
  outcomes: (EventEnvelope[] | Error)[];
  rows: EventEnvelope[];
  /** The canonical body each row's hash was taken over, in row order. */
  bodies: string[];
  /** The tip after the accepted appends. */
  tip: { seq: number; prev: string; versions: Map<string, number> };
}

/**
 * Links a batch onto an org's chain: each accepted append's events get the next seqs, subject
 * versions and hashes; an append whose expected versions are stale is refused and links nothing.
 * Every store builds its envelopes here, so the chain is the same whatever engine holds it.
 */
export function chainBatch(
  org: string,
  start: ChainTip,
  batch: readonly PendingAppend[],
  time: string,
): ChainedBatch {
  const versions = new Map(start.versions);
  let { seq, prev } = start;
  const rows: EventEnvelope[] = [];
  const bodies: string[] = [];
  const outcomes = batch.map((pending): EventEnvelope[] | Error => {
    for (const [subject, expected] of Object.entries(pending.expectedVersions ?? {})) {
      const actual = versions.get(subject) ?? 0;
      if (actual !== expected) return new ConcurrencyError(subject, expected, actual);
    }
    return pending.events.map((event) => {
      const subjectVersion = (versions.get(event.subject) ?? 0) + 1;
      versions.set(event.subject, subjectVersion);
      seq += 1;
      const unsigned = {
        org,
        seq,
        id: eventId(),
        type: event.type,
        subject: event.subject,
        subjectVersion,
        time,
        actor: event.actor,
        data: event.data as Record<string, unknown>,
        meta: event.meta ?? {},
        prev,
      };
      const body = envelopeBody(unsigned);
      const envelope: EventEnvelope = { ...unsigned, hash: sha256Hex(body) };
      prev = envelope.hash;
      rows.push(envelope);
      bodies.push(body);
      return envelope;
    });
  });
  return { outcomes, rows, bodies, tip: { seq, prev, versions } };
}
