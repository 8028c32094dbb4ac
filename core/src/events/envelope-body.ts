import { canonicalJson, type EventEnvelope } from './envelope.js';

const str = JSON.stringify;

/**
 * JCS (RFC 8785) of an envelope without `hash`, written in the fixed order of its members
 * (actor, data, id, meta, org, prev, seq, subject, subjectVersion, time, type are already sorted)
 * so that only the free-form `actor`, `data` and `meta` go through the general canonicaliser.
 * ECMAScript's JSON.stringify of a string and of an integer is exactly JCS's. Equal to
 * `canonicalJson(envelope)`, which a spec checks; it exists because appends hash every event.
 */
export function envelopeBody(envelope: Omit<EventEnvelope, 'hash'>): string {
  return (
    `{"actor":${canonicalJson(envelope.actor)},"data":${canonicalJson(envelope.data)},"id":${str(envelope.id)},` +
    `"meta":${canonicalJson(envelope.meta)},"org":${str(envelope.org)},"prev":${str(envelope.prev)},` +
    `"seq":${envelope.seq},"subject":${str(envelope.subject)},"subjectVersion":${envelope.subjectVersion},` +
    `"time":${str(envelope.time)},"type":${str(envelope.type)}}`
  );
}
