import { describe, expect, it } from 'vitest';
import { areaTitle, nextMoves, statusTone, tierTone } from './labels';

describe('use-case labels', () => {
  it('offers the lifecycle moves of each status, reviewer moves marked', () => {
    expect(nextMoves('draft').map((m) => m.to)).toEqual(['in_review', 'retired']);
    expect(nextMoves('in_review')).toEqual([
      expect.objectContaining({ to: 'approved', reviewer: true }),
      expect.objectContaining({ to: 'draft', reviewer: true }),
      expect.objectContaining({ to: 'retired', reviewer: true }),
    ]);
    expect(nextMoves('retired')).toEqual([]);
  });

  it('names Annex III areas by their title and tones statuses and tiers', () => {
    expect(areaTitle('EU-AI-ACT:AnnexIII.4')).toMatch(/^Employment/);
    expect(areaTitle(null)).toBe('—');
    expect(statusTone('approved')).toBe('ok');
    expect(tierTone('prohibited')).toBe('bad');
    expect(tierTone(null)).toBe('');
  });
});
