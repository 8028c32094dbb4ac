import { describe, expect, it } from 'vitest';
import { filterFromUrl, urlOfFilter } from './url-filter';

describe('filters in the URL', () => {
  it('reads the filters Mission Control offers and nothing else', () => {
    const url = new URL(
      'https://pp.test/?type=cp.llm.&actor=usr_1&subject=call%2Freq_1&runId=wf_1&from=2026-01-01T00%3A00%3A00Z&to=&fromSeq=5&x=1',
    );
    expect(filterFromUrl(url)).toEqual({
      type: 'cp.llm.',
      actor: 'usr_1',
      subject: 'call/req_1',
      runId: 'wf_1',
      from: '2026-01-01T00:00:00Z',
    });
  });

  it('writes a filter so that reading it back gives the same filter', () => {
    const filter = { type: 'cp.hitl.', subject: 'hitl/a b&c', to: '2026-02-01T00:00:00+01:00' };
    const written = urlOfFilter('/', filter);
    expect(written).toBe('/?type=cp.hitl.&subject=hitl%2Fa+b%26c&to=2026-02-01T00%3A00%3A00%2B01%3A00');
    expect(filterFromUrl(new URL(written, 'https://pp.test'))).toEqual(filter);
  });

  it('leaves the path bare when no filter is set', () => {
    expect(urlOfFilter('/', {})).toBe('/');
    expect(urlOfFilter('/', { actor: '' })).toBe('/');
  });
});
