import { DRIFT_DEFAULTS } from '@proofpane/commands';
import { describe, expect, it } from 'vitest';
import { windowSpans } from './evaluator.js';

describe('the windows an evaluation sums', () => {
  it('ends the recent day with the current partial hour and puts the week right before it', () => {
    const spans = windowSpans(new Date('2026-03-15T12:34:00.000Z'), DRIFT_DEFAULTS);
    expect(spans).toEqual({
      recent: { from: '2026-03-14T13:00:00.000Z', to: '2026-03-15T12:34:00.000Z' },
      baseline: { from: '2026-03-07T13:00:00.000Z', to: '2026-03-14T13:00:00.000Z' },
    });
  });
});
