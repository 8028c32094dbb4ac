/**
 * The server's error catalogue: a stable code, an HTTP status and a title per error.
 * Routes throw `apiError(code, detail)`; the error handler renders problem+json (RFC 9457).
 * docs/api.md (Errors) lists them for API clients; docs/gateway.md the /v1 and gateway codes.
 */
export const errorCatalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 400, title: 'A field is invalid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  // Governed calls: under a cap, a model with no price; a provider anomaly awaiting an admin.
  price_unknown: { status: 400, title: 'The model has no price' },
  provider_anomaly: { status: 403, title: 'A provider anomaly awaits acknowledgement' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | (string & {}),
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
