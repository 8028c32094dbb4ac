import type { FieldError, Problem } from '@proofpane/api';
import { untrack } from 'svelte';
import { session } from './session.svelte';

/** An RFC 9457 problem from the server, or a network failure, as one error type the pages show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    /** The problem's title: what went wrong in general, where the message says what exactly. */
    readonly title = '',
    /** Members a problem carries beyond RFC 9457's, such as the run a refused skill run recorded. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const PROBLEM_MEMBERS = new Set([
  'type',
  'code',
  'status',
  'title',
  'detail',
  'instance',
  'requestId',
  'errors',
]);

type Query = Record<string, string | number | boolean | undefined | null>;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Read untracked: a request started inside an effect must not make the effect depend on the session. */
export function authHeaders(): Record<string, string> {
  const token = untrack(() => session.current?.token);
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    // A problem from /api, or a vendor-shaped error from /v1.
    const body = JSON.parse(text) as Partial<Problem> & {
      message?: string;
      error?: { message?: string; code?: string };
    };
    const message = body.detail ?? body.error?.message ?? body.message ?? body.title ?? response.statusText;
    const extensions = Object.fromEntries(
      Object.entries(body).filter(
        ([key]) => !PROBLEM_MEMBERS.has(key) && key !== 'error' && key !== 'message',
      ),
    );
    return new ApiError(
      response.status,
      body.code ?? body.error?.code ?? 'error',
      message,
      body.errors ?? [],
      body.title ?? '',
      extensions,
    );
  } catch {
    return new ApiError(response.status, 'error', text.slice(0, 200) || response.statusText);
  }
}

/** Sends a request with the session's bearer token; a 401 ends the session. */
export async function request(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; signal?: AbortSignal; anonymous?: boolean } = {},
): Promise<Response> {
  const headers: Record<string, string> = options.anonymous ? {} : authHeaders();
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'the server cannot be reached; check that it is running');
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && !options.anonymous) untrack(() => session.expire(problem.message));
    throw problem;
  }
  return response;
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const response = await request('GET', path, { query, ...(signal ? { signal } : {}) });
  return (await response.json()) as T;
}

export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: { anonymous?: boolean } = {},
): Promise<T> {
  const response = await request(method, path, { body, ...options });
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : 'something went wrong';

/** Saves a response body as a file the browser downloads. */
export async function download(response: Response, fallbackName: string): Promise<string> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
