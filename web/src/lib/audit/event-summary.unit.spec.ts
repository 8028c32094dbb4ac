import { describe, expect, it } from 'vitest';
import { summaryOf } from './event-summary';

describe('an event as labelled lines', () => {
  it('shows a call with its model first, cost in dollars, latency and the key by name', () => {
    const fields = summaryOf(
      {
        latencyMs: 1_250,
        costMicros: 2,
        model: 'gpt-4o-mini',
        apiKeyId: 'key_1',
        dlp: { EMAIL: 2, PHONE: 0 },
      },
      { key_1: 'billing-bot' },
    );
    expect(fields.map((f) => [f.label, f.value])).toEqual([
      ['Model', 'gpt-4o-mini'],
      ['API key', 'billing-bot (key_1)'],
      ['Cost', '$0.000002'],
      ['Latency', '1.3 s'],
      ['DLP findings', 'EMAIL × 2'],
    ]);
  });

  it('labels unknown fields in words and keeps hashes short', () => {
    const fields = summaryOf({ somethingNew: true, promptSha256: 'a'.repeat(64), rulesMatched: [] }, {});
    expect(fields).toEqual([
      { key: 'rulesMatched', label: 'Rules matched', value: 'none' },
      { key: 'somethingNew', label: 'Something new', value: 'yes' },
      { key: 'promptSha256', label: 'Prompt SHA-256', value: 'aaaaaaaaaa…aaaaaa', mono: true },
    ]);
  });
});
