import type { Fact } from '../kit/fact.js';

/** The events of one mapping override, subject `compliance-override/<override id>`. */
export type OverrideFact = Fact<
  'cp.compliance.mapping.proposed' | 'cp.compliance.mapping.approved' | 'cp.compliance.mapping.rejected'
>;

export const overrideSubject = (overrideId: string) => `compliance-override/${overrideId}`;

export const OVERRIDE_EVENT_TYPES = [
  'cp.compliance.mapping.proposed',
  'cp.compliance.mapping.approved',
  'cp.compliance.mapping.rejected',
] as const;
