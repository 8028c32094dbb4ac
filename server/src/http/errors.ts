import { type ErrorCode, errorCatalogue } from '@proofpane/core';

/**
 * The server's side of the one error catalogue (`core/src/errors/catalogue/`): routes throw
 * `apiError(code, detail)`; the error handler renders problem+json (RFC 9457) from the code's entry.
 * docs/api.md (Errors) lists the codes for API clients; docs/gateway.md the /v1 and gateway codes.
 */
export { type ErrorCode, errorCatalogue };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export function apiError(
  code: ErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): ApiError {
  const entry = errorCatalogue[code];
  return new ApiError(code, entry.status, entry.title, detail, extensions);
}
