import { DaemonError, revokedMessage } from './errors.js';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** Joins a server base URL (with or without a trailing slash or path prefix) and an API path. */
export function apiUrl(server: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(server.endsWith('/') ? server : `${server}/`);
  } catch {
    throw new DaemonError('usage', `invalid server URL: ${server}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new DaemonError('usage', `server URL must be http or https: ${server}`);
  }
  return new URL(path.replace(/^\//, ''), base);
}

export interface JsonRequestOptions {
  token?: string;
  timeoutMs?: number;
  /** Ends the request early, e.g. when the call it serves was cancelled. */
  signal?: AbortSignal;
}

/** POSTs JSON and reads a JSON answer; a network failure becomes `server_unreachable` naming the server. */
export function postJson(url: URL, body: unknown, options: JsonRequestOptions = {}): Promise<JsonResponse> {
  return requestJson('POST', url, body, options);
}

/** GETs a JSON answer, with the same error handling as `postJson`. */
export function getJson(url: URL, options: JsonRequestOptions = {}): Promise<JsonResponse> {
  return requestJson('GET', url, undefined, options);
}

async function requestJson(
  method: 'GET' | 'POST',
  url: URL,
  body: unknown,
  options: JsonRequestOptions,
): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
      signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
    });
  } catch (err) {
    // The caller cancelled: not a network failure; it looks at its own signal.
    if (options.signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new DaemonError('server_unreachable', `cannot reach the server at ${url.origin} (${reason})`, {
      cause: err,
    });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed };
}

/** The human part of an RFC 9457 problem (or a plain `{error|message}` body), if the server sent one. */
export function problemDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['detail', 'message', 'title', 'error']) {
    if (typeof b[key] === 'string' && b[key] !== '') return b[key];
  }
  return undefined;
}

/** Status codes every authenticated daemon request treats the same way. */
export function failOnAuthOrServerError(response: JsonResponse, what: string) {
  if (response.status === 401) throw new DaemonError('device_revoked', revokedMessage);
  if (response.status >= 300) {
    const detail = problemDetail(response.body);
    throw new DaemonError(
      'server_error',
      `${what} failed: HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
    );
  }
}
