import type { EventEnvelope } from '../../events/envelope.js';

export interface EventRow {
  org: string;
  seq: string | number;
  body: string;
  hash: string;
}

/** The stored body is the exact JCS text that was hashed; the envelope is it plus `hash`. */
export function envelopeOf(row: Pick<EventRow, 'body' | 'hash'>): EventEnvelope {
  const envelope = JSON.parse(row.body) as EventEnvelope;
  envelope.hash = row.hash;
  return envelope;
}
