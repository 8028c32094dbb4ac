import { budgetErrors, errorCatalogue, gatewayErrors } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { apiError } from '../http/errors.js';
import { vendorErrorBody } from './vendor-errors.js';

// The vendor shapes and problem+json must not disagree about a code: both read its catalogue entry.
describe('vendor error shapes', () => {
  it.each(Object.keys({ ...gatewayErrors, ...budgetErrors }) as (keyof typeof gatewayErrors)[])(
    'renders %s with the status problem+json answers for it',
    (code) => {
      const status = errorCatalogue[code].status;
      expect(apiError(code, 'x').status).toBe(status);
      const openai = vendorErrorBody({ vendor: 'openai', code, message: 'm', requestId: 'req_1' }) as {
        error: { code: string; type: string };
      };
      const anthropic = vendorErrorBody({ vendor: 'anthropic', code, message: 'm', requestId: 'req_1' }) as {
        error: { code: string; type: string };
      };
      expect(openai.error.code).toBe(code);
      expect(anthropic.error.code).toBe(code);
      const type = { 400: 'invalid_request_error', 403: 'permission_error', 429: 'rate_limit_error' }[
        status as 400
      ];
      expect(openai.error.type).toBe(type ?? 'api_error');
      expect(anthropic.error.type).toBe(openai.error.type);
    },
  );

  it('keeps an explicit status over the entry, as for a body over the limit', () => {
    const body = vendorErrorBody({
      vendor: 'openai',
      code: 'invalid_request',
      status: 413,
      message: 'too large',
      requestId: 'req_1',
    }) as { error: { type: string } };
    expect(body.error.type).toBe('request_too_large');
  });
});
