import type { ErrorEvent } from '@sentry/node';
import { describe, expect, it } from 'vitest';
import { scrubEvent, scrubText } from './scrub.js';

describe('scrubEvent', () => {
  it('keeps method, path and safe headers, drops body, cookies, query and credential headers', () => {
    const event: ErrorEvent = {
      type: undefined,
      request: {
        method: 'POST',
        url: 'https://pp.example/api/x?token=pp_querytoken0123456789',
        data: '{"prompt":"secret body"}',
        cookies: { session: 'cookie-value' },
        query_string: 'token=pp_querytoken0123456789',
        headers: {
          authorization: 'Bearer abc.def.ghi',
          'x-api-key': 'pp_headerkey0123456789',
          cookie: 'session=cookie-value',
          'x-proofpane-device-token': 'device-secret',
          'user-agent': 'curl/8',
          'x-request-id': 'req-1',
        },
      },
      breadcrumbs: [{ message: 'log line with sk-abcdefghijkl' }],
      extra: { body: 'secret body' },
      user: { id: 'usr_1', email: 'a@example.test', ip_address: '10.0.0.1' },
      exception: {
        values: [
          {
            type: 'Error',
            value: 'refused sk-proj-abcdefghijkl and xoxb-1234567890-abc with password=hunter22',
            stacktrace: { frames: [{ function: 'f', vars: { apiKey: 'pp_local0123456789' } }] },
          },
        ],
      },
    };
    const scrubbed = JSON.stringify(scrubEvent(event));
    for (const secret of [
      'secret body',
      'cookie-value',
      'pp_querytoken',
      'abc.def.ghi',
      'pp_headerkey',
      'device-secret',
      'sk-abcdefghijkl',
      'sk-proj-abcdefghijkl',
      'xoxb-1234567890',
      'hunter22',
      'pp_local',
      'a@example.test',
      '10.0.0.1',
    ])
      expect(scrubbed, secret).not.toContain(secret);
    expect(scrubbed).toContain('"method":"POST"');
    expect(scrubbed).toContain('https://pp.example/api/x"');
    expect(scrubbed).toContain('curl/8');
    expect(scrubbed).toContain('req-1');
    expect(scrubbed).toContain('usr_1');
    expect(scrubbed).toContain('refused [redacted]');
  });

  it('redacts bearer tokens, API keys and JWTs in free text and leaves other text alone', () => {
    expect(scrubText('Authorization: Bearer pp_abcdefghijklmnop failed')).toBe('[redacted] failed');
    expect(scrubText('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln here')).toBe('jwt [redacted] here');
    expect(scrubText('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});
