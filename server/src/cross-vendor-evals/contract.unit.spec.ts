import { CROSS_VENDOR_SEVERITY_LEVELS, CROSS_VENDOR_SUITE_LIMITS } from '@proofpane/api';
import { CROSS_VENDOR_LIMITS, CROSS_VENDOR_SEVERITIES } from '@proofpane/core';
import { describe, expect, it } from 'vitest';

// The routes refuse at the edge what the events could not hold: both sides state the same bounds.
describe('the cross-vendor contract and its events', () => {
  it('name the same severities and the same bounds', () => {
    expect([...CROSS_VENDOR_SEVERITY_LEVELS]).toEqual([...CROSS_VENDOR_SEVERITIES]);
    const { nameChars: _, ...bounds } = CROSS_VENDOR_SUITE_LIMITS;
    for (const [key, value] of Object.entries(bounds))
      expect(CROSS_VENDOR_LIMITS[key as keyof typeof CROSS_VENDOR_LIMITS], key).toBe(value);
  });
});
