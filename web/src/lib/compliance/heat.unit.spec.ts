import { describe, expect, it } from 'vitest';
import { cellLabel, controlHref, heatLevel } from './heat';

describe('the coverage heat map', () => {
  it('shades by status, then by evidence count on a log scale', () => {
    expect(heatLevel('not_mapped', 0, 100)).toBe(0);
    expect(heatLevel('mapped_without_evidence', 0, 100)).toBe(1);
    expect(heatLevel('evidenced', 1, 100)).toBe(2);
    expect(heatLevel('evidenced', 100, 100)).toBe(5);
    expect(heatLevel('evidenced', 10, 100)).toBeGreaterThan(2);
    expect(heatLevel('evidenced', 10, 100)).toBeLessThan(5);
    expect(heatLevel('evidenced', 3, 1)).toBe(5);
  });

  it('labels each cell for screen readers with uid, title, status and count', () => {
    expect(
      cellLabel({ uid: 'EU-AI-ACT:Art.12', title: 'Record-keeping', status: 'evidenced', count: 1 }),
    ).toBe('EU-AI-ACT:Art.12 Record-keeping: evidenced, 1 evidence event');
    expect(
      cellLabel({ uid: 'GDPR:Art.9', title: 'Special categories', status: 'not_mapped', count: 0 }),
    ).toBe('GDPR:Art.9 Special categories: not mapped');
  });

  it('links a control by its uid, encoded', () => {
    expect(controlHref('NIST-AI-RMF:MEASURE 2.8')).toBe(
      '/compliance/control?uid=NIST-AI-RMF%3AMEASURE%202.8',
    );
  });
});
