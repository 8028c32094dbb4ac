import { describe, expect, it } from 'vitest';
import { humanize, scalarText, shapeOf } from './readable';

describe('humanize', () => {
  it('turns camelCase, snake_case and kebab-case keys into sentence-case labels', () => {
    expect(humanize('dpiaRecommended')).toBe('Dpia recommended');
    expect(humanize('business_owner')).toBe('Business owner');
    expect(humanize('usedInEU')).toBe('Used in eu');
    expect(humanize('HTTPStatus')).toBe('Http status');
    expect(humanize('max-items')).toBe('Max items');
    expect(humanize('tier')).toBe('Tier');
  });

  it('keeps a key that has no letters or digits to show', () => {
    expect(humanize('__')).toBe('__');
  });
});

describe('shapeOf', () => {
  it('tells nothing, scalars, lists, lists of objects and objects apart', () => {
    expect(shapeOf(null)).toBe('empty');
    expect(shapeOf(undefined)).toBe('empty');
    expect(shapeOf([])).toBe('empty');
    expect(shapeOf({})).toBe('empty');
    expect(shapeOf('high')).toBe('scalar');
    expect(shapeOf(0)).toBe('scalar');
    expect(shapeOf(false)).toBe('scalar');
    expect(shapeOf(['a', 2, null])).toBe('list');
    expect(shapeOf([{ id: 'r1' }, { id: 'r2' }])).toBe('records');
    expect(shapeOf([{ id: 'r1' }, 'loose'])).toBe('list');
    expect(shapeOf({ tier: 'high' })).toBe('object');
  });
});

describe('scalarText', () => {
  it('reads booleans as yes and no, groups digits and dashes what is missing', () => {
    expect(scalarText(true)).toBe('Yes');
    expect(scalarText(false)).toBe('No');
    expect(scalarText(1234567.5)).toBe('1,234,567.5');
    expect(scalarText(0.25)).toBe('0.25');
    expect(scalarText(null)).toBe('—');
    expect(scalarText('')).toBe('—');
    expect(scalarText('[demo] high')).toBe('[demo] high');
    expect(scalarText([1, 2])).toBe('[1,2]');
  });
});
