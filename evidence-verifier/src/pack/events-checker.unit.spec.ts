import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticChain } from '../../test/synthetic-chain.js';
import { canonicalJson } from '../chain/envelope.js';
import { EventsChecker } from './events-checker.js';
import { DEFAULT_LIMITS } from './limits.js';
import { CheckLog } from './report.js';

const encoder = new TextEncoder();
const events = [...syntheticChain({ org: 'org_chunks', count: 40 })];
const lines = events.map((e) => canonicalJson(e));
// A line that is not canonical, one with an escaped member name, and one cut short.
lines[9] = lines[9]!.replace('{"actor"', '{ "actor"');
lines[20] = canonicalJson({ ...events[20]!, data: { 'k\u00e9\\y': 1 } });
const text = `${lines.join('\n')}\n{"actor":`;

function check(chunkSize: number) {
  const log = new CheckLog();
  const checker = new EventsChecker({
    org: 'org_chunks',
    checkpointSize: 40,
    sha256: (d) => createHash('sha256').update(d).digest(),
    limits: DEFAULT_LIMITS,
    log,
  });
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length; at += chunkSize) checker.push(bytes.subarray(at, at + chunkSize));
  checker.finish();
  return { lines: checker.lines, seqs: checker.seqs, leaves: checker.leaves.slice(0, 32 * 40), log };
}

describe('EventsChecker', () => {
  it('reads the same lines and logs the same failures wherever the chunks split', () => {
    const whole = check(1 << 20);
    expect(whole.lines).toBe(40);
    expect(whole.seqs).toEqual(events.map((e) => e.seq).filter((s) => s !== 10));
    expect(whole.log.checks.map((c) => [c.id, c.seq, c.message])).toEqual([
      ['events.format', undefined, expect.stringMatching(/^line 10 is not canonical JCS/)],
      ['events.hash', 21, "seq 21: hash does not match the event's content"],
    ]);
    for (const size of [1, 2, 7, 64, 333, 4096]) expect(check(size), `chunks of ${size}`).toEqual(whole);
    // The last line, cut short, is one more format failure.
    whole.log.settle('events.format', '');
    expect(whole.log.checks[0]?.message).toMatch(/\(and 1 more\)$/);
  });
});
