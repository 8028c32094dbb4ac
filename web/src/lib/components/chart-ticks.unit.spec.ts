import { describe, expect, it } from 'vitest';
import { amountRange, countTickLabels, usdTickLabels } from './chart-ticks';

describe('chart tick labels', () => {
  it('labels fractions of a cent distinctly instead of $0.00', () => {
    const labels = usdTickLabels([0, 0.000002, 0.000004, 0.000006]);
    expect(labels).toEqual(['$0.000000', '$0.000002', '$0.000004', '$0.000006']);
    expect(new Set(usdTickLabels([0, 0.0025, 0.005, 0.0075])).size).toBe(4);
  });

  it('keeps cents for amounts of a cent and above', () => {
    expect(usdTickLabels([0, 0.5, 1, 1.5])).toEqual(['$0.00', '$0.50', '$1.00', '$1.50']);
    expect(usdTickLabels([0, 0.01, 0.02])).toEqual(['$0.00', '$0.01', '$0.02']);
  });

  it('spans tiny amounts from zero to just above the largest', () => {
    expect(amountRange(0.000007)[1]).toBeCloseTo(0.00000805, 10);
    expect(amountRange(0)).toEqual([0, 1]);
  });

  it('shows counts as integers only', () => {
    expect(countTickLabels([0, 0.5, 1, 1500])).toEqual(['0', '', '1', '1,500']);
  });
});
