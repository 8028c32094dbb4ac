import type { Actor, EventData, EventEnvelope, EventStore } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';
import { onceDecider, recordOnce } from '../kit/record-once.js';

/** The month's stop, on `quality-sampling/<month>`: recorded once, however many passes reach the cap. */
export const samplingCapDecider = onceDecider<Fact<'cp.quality.sampling.capped'>>(
  'cp.quality.sampling.capped',
);

export function recordSamplingCapped(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  capped: EventData<'cp.quality.sampling.capped'>;
}): Promise<EventEnvelope[]> {
  const { capped, ...rest } = options;
  return recordOnce({
    ...rest,
    subject: `quality-sampling/${capped.month}`,
    decider: samplingCapDecider,
    data: capped,
  });
}
