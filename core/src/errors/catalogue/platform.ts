import { errorSection } from '../entry.js';

/** Codes any route may answer with: the request's shape, authentication, routing and the server's state. */
export const platformErrors = errorSection('api.md#platform', {
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
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Unavailable' },
});

/** The event store's refusals; a client sees them only when the store is under strain or a bug slips through. */
export const storeErrors = errorSection('api.md#event-store', {
  unknown_event_type: { status: 500, title: 'The event type is not in the catalogue' },
  invalid_event: { status: 500, title: 'The event fails its schema' },
  concurrency_conflict: { status: 409, title: 'The subject changed since it was read' },
  append_conflict: { status: 503, title: 'The chain could not be extended; retry' },
  store_closed: { status: 503, title: 'The event store is shutting down' },
});
