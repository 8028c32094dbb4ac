import { describe, expect, it } from 'vitest';
import { SuiteScheduleBook } from './schedule-book.js';
import type { CrossVendorSuite } from './suite.js';

const suite = (schedule: string | null, suiteId = 'cvs_1'): CrossVendorSuite => ({
  suiteId,
  name: 'nightly',
  cases: [{ input: [{ role: 'user', content: 'hi' }] }],
  providers: [
    { provider: 'demo', model: 'demo' },
    { provider: 'demo', model: 'demo-2' },
  ],
  judge: null,
  schedule,
});
const at = (iso: string) => new Date(iso);

describe('the suite schedule book', () => {
  it('fires each tick once, from when the schedule was first seen, under an id every process derives alike', () => {
    const book = new SuiteScheduleBook();
    book.update([{ org: 'org_a', suite: suite('*/5 * * * *') }], at('2026-01-01T00:00:30Z'));
    expect(book.due(at('2026-01-01T00:04:59Z'))).toEqual([]);
    const [due, ...rest] = book.due(at('2026-01-01T00:05:00Z'));
    expect(rest).toEqual([]);
    expect(due).toMatchObject({ org: 'org_a', tick: '2026-01-01T00:05:00.000Z' });
    expect(book.due(at('2026-01-01T00:05:01Z'))).toEqual([]);

    const other = new SuiteScheduleBook();
    other.update([{ org: 'org_a', suite: suite('*/5 * * * *') }], at('2026-01-01T00:01:00Z'));
    expect(other.due(at('2026-01-01T00:05:00Z'))[0]?.runId).toBe(due!.runId);
    // Another org's suite of the same id and tick gets another run id.
    const elsewhere = new SuiteScheduleBook();
    elsewhere.update([{ org: 'org_b', suite: suite('*/5 * * * *') }], at('2026-01-01T00:01:00Z'));
    expect(elsewhere.due(at('2026-01-01T00:05:00Z'))[0]?.runId).not.toBe(due!.runId);
  });

  it('holds only suites with a schedule croner reads, and forgets those no longer listed', () => {
    const book = new SuiteScheduleBook();
    book.update(
      [
        { org: 'org_a', suite: suite(null, 'cvs_off') },
        { org: 'org_a', suite: suite('not a cron', 'cvs_bad') },
        { org: 'org_a', suite: suite('0 * * * *', 'cvs_on') },
      ],
      at('2026-01-01T00:00:00Z'),
    );
    expect(book.size).toBe(1);
    book.update([], at('2026-01-01T00:10:00Z'));
    expect(book.size).toBe(0);
    expect(book.due(at('2026-01-01T05:00:00Z'))).toEqual([]);
  });
});
