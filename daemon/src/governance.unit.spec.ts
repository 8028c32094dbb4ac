import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { argsHash, vendorFromEnv } from './governance.js';
import { canonicalJson } from './jcs.js';

describe('governance helpers', () => {
  it('canonicalises JSON per RFC 8785: sorted keys, no whitespace, ES number forms', () => {
    expect(canonicalJson({ b: [1, 'x', { d: 1e21, c: null }], a: 0.000001, é: true, A: undefined })).toBe(
      '{"a":0.000001,"b":[1,"x",{"c":null,"d":1e+21}],"é":true}',
    );
  });

  it('hashes arguments independently of key order', () => {
    const expected = createHash('sha256').update('{"content":"x","path":"a.txt"}').digest('hex');
    expect(argsHash({ path: 'a.txt', content: 'x' })).toBe(expected);
    expect(argsHash({ content: 'x', path: 'a.txt' })).toBe(expected);
  });

  it('reads CP_VENDOR and tags anything else as unknown with a warning', () => {
    expect(vendorFromEnv({ CP_VENDOR: 'cursor' })).toEqual({ vendor: 'cursor' });
    expect(vendorFromEnv({})).toEqual({ vendor: 'unknown' });
    expect(vendorFromEnv({ CP_VENDOR: 'vim' })).toMatchObject({
      vendor: 'unknown',
      warning: expect.stringContaining('CP_VENDOR=vim'),
    });
  });
});
