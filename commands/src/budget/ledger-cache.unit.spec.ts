import { describe, expect, it } from 'vitest';
import { createLedgerCache } from './ledger-cache.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const month = { spent: 0, reserved: 100, alerted: 0, version: 1 };
const opened = (...ids: string[]) =>
  ids.map((reservationId) => ({ org: 'o', reservationId, amountMicros: 100, now: NOW, ttlSeconds: 60 }));

describe('batched ledger cache', () => {
  it('remembers what a commit wrote, forgets settled reservations, and keeps open ones when rows are forgotten', () => {
    const cache = createLedgerCache({ maxOrgs: 10, maxOpenPerOrg: 10 });
    cache.record('o', { settledIds: [], accepted: opened('r1') });
    expect(cache.get('o')).toBeUndefined();
    const written = { cap: 1_000, months: new Map([['2026-03', month]]) };
    cache.record('o', { written, settledIds: [], accepted: opened('r1', 'r2') });
    cache.record('o', { settledIds: ['r1'], accepted: [] });
    expect(cache.get('o')).toEqual({
      cap: 1_000,
      months: new Map([['2026-03', month]]),
      open: new Map([['r2', { month: '2026-03', amount: 100 }]]),
    });
    cache.forgetRows('o');
    expect(cache.get('o')?.months.size).toBe(0);
    expect([...cache.get('o')!.open.keys()]).toEqual(['r2']);
  });

  it('drops an org past its open reservations and the least recently used org past the org limit', () => {
    const cache = createLedgerCache({ maxOrgs: 2, maxOpenPerOrg: 3 });
    const written = { cap: null, months: new Map([['2026-03', month]]) };
    cache.record('a', { written, settledIds: [], accepted: opened('1', '2', '3') });
    expect(cache.get('a')).toBeDefined();
    cache.record('a', { written, settledIds: [], accepted: opened('4') });
    expect(cache.get('a')).toBeUndefined();

    for (const org of ['a', 'b']) cache.record(org, { written, settledIds: [], accepted: [] });
    cache.get('a');
    cache.record('c', { written, settledIds: [], accepted: [] });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });
});
