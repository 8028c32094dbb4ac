import { describe, expect, it } from 'vitest';
import { count, dateTime, duration, shortHash, usd, usdFromMicros } from './format';

describe('money', () => {
  it('shows micro-dollars as dollars, and nothing known as a dash', () => {
    expect(usdFromMicros(1_500_000)).toBe('$1.50');
    expect(usdFromMicros(0)).toBe('$0.00');
    expect(usdFromMicros(null)).toBe('—');
    expect(usdFromMicros(undefined)).toBe('—');
  });

  it('keeps the digits of sub-cent amounts, which two decimals would round to zero', () => {
    expect(usdFromMicros(1_200)).toBe('$0.0012');
    expect(usd(0.004)).toBe('$0.004');
    expect(usd(-0.004)).toBe('-$0.004');
    expect(usd(1234.5)).toBe('$1,234.50');
  });
});

describe('counts, times and hashes', () => {
  it('groups thousands', () => {
    expect(count(1_234_567)).toBe('1,234,567');
  });

  it('shows instants in UTC to the second', () => {
    expect(dateTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05Z');
    expect(dateTime('2026-01-02T03:04:05+02:00')).toBe('2026-01-02 01:04:05Z');
    expect(dateTime(null)).toBe('—');
    expect(dateTime('')).toBe('—');
  });

  it('picks the unit of a duration by its size', () => {
    expect(duration(999)).toBe('999 ms');
    expect(duration(1_000)).toBe('1.0 s');
    expect(duration(59_940)).toBe('59.9 s');
    expect(duration(125_000)).toBe('2 min 5 s');
    expect(duration(null)).toBe('—');
  });

  it('shortens a hash to its ends', () => {
    const hash = `abcdef0123${'5'.repeat(48)}987654`;
    expect(shortHash(hash)).toBe('abcdef0123…987654');
    expect(shortHash(undefined)).toBe('—');
  });
});
