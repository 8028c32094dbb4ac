import type { ErrorEvent } from '@sentry/node';

/** Headers safe to report: nothing that authenticates, nothing a client chose freely beyond these. */
const KEPT_HEADERS = new Set(['content-type', 'content-length', 'user-agent', 'x-request-id']);

/**
 * Text that may be a credential wherever it appears in a message: bearer tokens, Proofpane API keys,
 * JWTs, vendor keys (`sk-…`, `xoxb-…`), and `key=value` pairs named like secrets.
 */
const SECRET_PATTERNS: RegExp[] = [
  /\bBearer\s+[^\s"',]+/gi,
  /\bpp_[A-Za-z0-9_-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{8,}/g,
  /\b(?:api[_-]?key|token|secret|password|passphrase|authorization|cookie)\s*[=:]\s*[^\s&"',]+/gi,
];

export function scrubText(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[redacted]');
  return out;
}

/**
 * Sentry's `beforeSend`: an error event leaves with its type, scrubbed message and stack, and the
 * request's method, route and safe headers only. Bodies, cookies, query strings, credential headers,
 * breadcrumbs (they may hold log lines) and extra data never leave.
 */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  if (event.request) {
    const headers = Object.fromEntries(
      Object.entries(event.request.headers ?? {}).filter(([name]) => KEPT_HEADERS.has(name.toLowerCase())),
    );
    event.request = {
      ...(event.request.method ? { method: event.request.method } : {}),
      ...(event.request.url ? { url: scrubText(event.request.url.split('?')[0] ?? '') } : {}),
      headers,
    };
  }
  delete event.breadcrumbs;
  delete event.extra;
  if (event.user) event.user = event.user.id === undefined ? {} : { id: event.user.id };
  if (event.message) event.message = scrubText(event.message);
  if (event.logentry?.message) event.logentry = { message: scrubText(event.logentry.message) };
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
    for (const frame of exception.stacktrace?.frames ?? []) delete frame.vars;
  }
  return event;
}
