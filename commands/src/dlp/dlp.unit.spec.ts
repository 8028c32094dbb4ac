import { describe, expect, it } from 'vitest';
import { evaluateCorpus, loadCorpus } from './corpus/evaluate.js';
import { createStreamRestorer, mask, restore, scan, summarize } from './index.js';

const found = (text: string) => scan(text).map((f) => ({ type: f.type, value: text.slice(f.start, f.end) }));

describe('scan', () => {
  it('finds each entity type with its span', () => {
    expect(found('mail bob@example.com now')).toEqual([{ type: 'EMAIL', value: 'bob@example.com' }]);
    expect(found('card 4111 1111 1111 1111 ok')).toEqual([
      { type: 'CREDIT_CARD', value: '4111 1111 1111 1111' },
    ]);
    expect(found('pay GB82 WEST 1234 5698 7654 32.')).toEqual([
      { type: 'IBAN', value: 'GB82 WEST 1234 5698 7654 32' },
    ]);
    expect(found('SSN 123-45-6789')).toEqual([{ type: 'US_SSN', value: '123-45-6789' }]);
    expect(found('from 203.0.113.9 and fe80::1ff:fe23:4567:890a')).toEqual([
      { type: 'IP_ADDRESS', value: '203.0.113.9' },
      { type: 'IP_ADDRESS', value: 'fe80::1ff:fe23:4567:890a' },
    ]);
    expect(found('call +1 415 867 5309')).toEqual([{ type: 'PHONE', value: '+1 415 867 5309' }]);
    expect(found('key AKIAIOSFODNN7EXAMPLE')).toEqual([
      { type: 'API_SECRET', value: 'AKIAIOSFODNN7EXAMPLE' },
    ]);
  });

  it('rejects look-alikes that fail their checksum or shape', () => {
    expect(scan('card 4111 1111 1111 1112')).toEqual([]);
    expect(scan('iban DE89370400440532013001')).toEqual([]);
    expect(scan('id 550e8400-e29b-41d4-a716-446655440000 at 2024-03-15T10:22:33Z')).toEqual([]);
    expect(scan('release v1.2.3.4, order #4829301923')).toEqual([]);
    expect(scan('the sk-learn-tutorial-for-beginners-2024-edition notebook')).toEqual([]);
  });

  it('prefers a secret over the digits inside it', () => {
    const text = 'token sk_live_4eC39HqLyjWDarjtT1zdp7dc and done';
    expect(scan(text).map((f) => f.type)).toEqual(['API_SECRET']);
  });

  it('sees through compatibility characters (fullwidth, ligatures), reporting spans of the original text', () => {
    expect(found('mail jane＠example.com now')).toEqual([{ type: 'EMAIL', value: 'jane＠example.com' }]);
    expect(found('ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toEqual([
      { type: 'EMAIL', value: 'ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ' },
    ]);
    // U+FB01 is one UTF-16 unit that NFKC turns into two ("fi"): spans after it must not shift.
    expect(found('ﬁle ﬁnance bob＠example.com and 10.0.0.1')).toEqual([
      { type: 'EMAIL', value: 'bob＠example.com' },
      { type: 'IP_ADDRESS', value: '10.0.0.1' },
    ]);
    expect(found('card ４１１１ １１１１ １１１１ １１１１ ok')).toEqual([
      { type: 'CREDIT_CARD', value: '４１１１ １１１１ １１１１ １１１１' },
    ]);
    // A character NFKC expands into several ("㍻" → "平成") before an email.
    expect(found('㍻ x＠example.org')).toEqual([{ type: 'EMAIL', value: 'x＠example.org' }]);
  });

  it('reaches precision and recall of at least 0.95 on the labelled corpus', () => {
    const lines = loadCorpus();
    expect(lines.length).toBeGreaterThanOrEqual(300);
    const result = evaluateCorpus({ lines });
    expect(result.overall.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.overall.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('mask and restore', () => {
  it('gives equal values one placeholder and restores them', () => {
    const text = 'a@example.com wrote to b@example.com and a@example.com again';
    const masked = mask({ text, findings: scan(text) });
    expect(masked.text).toBe('[EMAIL_1] wrote to [EMAIL_2] and [EMAIL_1] again');
    expect(masked.vault).toEqual({ '[EMAIL_1]': 'a@example.com', '[EMAIL_2]': 'b@example.com' });
    expect(restore({ text: masked.text, vault: masked.vault })).toBe(text);
  });

  it('masks a fullwidth email and restores the original characters, streamed too', () => {
    const text = 'write to jane＠example.com, ﬁnance@example.org or ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ';
    const masked = mask({ text, findings: scan(text) });
    expect(masked.text).toBe('write to [EMAIL_1], [EMAIL_2] or [EMAIL_3]');
    expect(masked.text).not.toMatch(/[＠@]/);
    expect(restore({ text: masked.text, vault: masked.vault })).toBe(text);
    const r = createStreamRestorer({ vault: masked.vault });
    const answer = 'Sent to [EMAIL_1] and [EMAIL_3].';
    expect(r.push(answer.slice(0, 12)) + r.push(answer.slice(12)) + r.flush()).toBe(
      'Sent to jane＠example.com and ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ.',
    );
  });

  it('continues numbering across the texts of one request', () => {
    const first = mask({ text: 'x@example.com', findings: scan('x@example.com') });
    const second = mask({
      text: 'y@example.com x@example.com',
      findings: scan('y@example.com x@example.com'),
      vault: first.vault,
    });
    expect(second.text).toBe('[EMAIL_2] [EMAIL_1]');
  });

  it('masks only the requested types', () => {
    const text = 'bob@example.com from 10.0.0.1';
    const masked = mask({ text, findings: scan(text), types: new Set(['IP_ADDRESS'] as const) });
    expect(masked.text).toBe('bob@example.com from [IP_ADDRESS_1]');
  });

  it('leaves unknown placeholders alone', () => {
    expect(restore({ text: 'see [EMAIL_9]', vault: { '[EMAIL_1]': 'a@b.co' } })).toBe('see [EMAIL_9]');
  });

  it('summarises findings as counts per type', () => {
    const text = 'a@example.com b@example.com 10.0.0.1';
    expect(summarize(scan(text))).toEqual({ EMAIL: 2, IP_ADDRESS: 1 });
  });
});

describe('createStreamRestorer', () => {
  const vault = { '[EMAIL_1]': 'ann@example.com', '[PHONE_12]': '+1 415 867 5309' };

  it('restores a placeholder split across any chunk boundary', () => {
    const answer = 'Write to [EMAIL_1] or call [PHONE_12] today. [x] stays.';
    for (let cut = 1; cut < answer.length; cut++) {
      const r = createStreamRestorer({ vault });
      const out = r.push(answer.slice(0, cut)) + r.push(answer.slice(cut)) + r.flush();
      expect(out).toBe('Write to ann@example.com or call +1 415 867 5309 today. [x] stays.');
    }
  });

  it('emits text without a pending bracket immediately', () => {
    const r = createStreamRestorer({ vault });
    expect(r.push('Hello there, ')).toBe('Hello there, ');
    expect(r.push('mail [EMA')).toBe('mail ');
    expect(r.push('IL_1] now')).toBe('ann@example.com now');
    expect(r.flush()).toBe('');
  });

  it('flushes an unfinished placeholder as it is', () => {
    const r = createStreamRestorer({ vault });
    expect(r.push('end [PHONE_1')).toBe('end ');
    expect(r.flush()).toBe('[PHONE_1');
  });
});
