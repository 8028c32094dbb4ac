import { MalformedBody, type PuFetchedItem, parseSource } from './parse.js';
import { type PuBaseUrls, type PuQueries, type PuSource, sourceUrl } from './sources.js';

/** What a source said last time: validators for a conditional request, and when it may be asked again. */
export interface SourceCursor {
  etag?: string;
  lastModified?: string;
  /** ISO instant before which the source is not asked (a rate limit it announced). */
  retryAt?: string;
}

export type FetchOutcome =
  | { kind: 'fetched'; items: PuFetchedItem[]; cursor: SourceCursor }
  | { kind: 'not_modified'; cursor: SourceCursor }
  | { kind: 'rate_limited'; cursor: SourceCursor }
  | { kind: 'deferred'; cursor: SourceCursor }
  | { kind: 'failed'; reason: string; cursor: SourceCursor };

const MAX_BODY = 5 * 1024 * 1024;

/**
 * When the source may be asked again, from its answer's headers: `Retry-After` (seconds or an HTTP date,
 * RFC 9110 §10.2.3), else GitHub's `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset` (epoch seconds).
 */
export function retryAtOf(headers: Headers, now: number): string | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) return new Date(Math.max(at, now)).toISOString();
  }
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return new Date(Math.max(reset * 1000, now)).toISOString();
  }
  return undefined;
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new MalformedBody(`the body is over ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One conditional GET of a source: `If-None-Match` / `If-Modified-Since` from the cursor, a timeout, rate
 * limits honoured both ways (a source is not asked before its `retryAt`; a 403/429 or an exhausted quota
 * sets it). Never throws: a failure is an outcome, so one bad source cannot stop the others.
 */
export async function fetchSource(options: {
  source: PuSource;
  baseUrls: PuBaseUrls;
  queries?: PuQueries;
  cursor: SourceCursor;
  timeoutMs: number;
  now: number;
  fetch?: typeof fetch;
}): Promise<FetchOutcome> {
  const { cursor, now } = options;
  if (cursor.retryAt && Date.parse(cursor.retryAt) > now) return { kind: 'deferred', cursor };
  const validators = {
    ...(cursor.etag ? { etag: cursor.etag } : {}),
    ...(cursor.lastModified ? { lastModified: cursor.lastModified } : {}),
  };
  const headers: Record<string, string> = {
    'user-agent': 'proofpane-parallel-universe',
    accept: options.source === 'arxiv-cs-ai' ? 'application/atom+xml' : 'application/json',
  };
  if (options.source !== 'arxiv-cs-ai' && options.source !== 'hacker-news') {
    headers.accept = 'application/vnd.github+json';
    headers['x-github-api-version'] = '2022-11-28';
  }
  if (cursor.etag) headers['if-none-match'] = cursor.etag;
  if (cursor.lastModified) headers['if-modified-since'] = cursor.lastModified;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(sourceUrl(options.source, options.baseUrls, options.queries), {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      kind: 'failed',
      reason: timedOut ? 'timed out' : 'the source could not be reached',
      cursor: validators,
    };
  }
  const retryAt = retryAtOf(response.headers, now);
  const next = (extra: SourceCursor = {}): SourceCursor => ({
    ...validators,
    ...extra,
    ...(retryAt ? { retryAt } : {}),
  });
  if (response.status === 304) {
    await response.body?.cancel();
    return { kind: 'not_modified', cursor: next() };
  }
  if (response.status === 429 || (response.status === 403 && retryAt)) {
    await response.body?.cancel();
    // Without a date from the source, wait a minute rather than hammer it.
    return {
      kind: 'rate_limited',
      cursor: { ...validators, retryAt: retryAt ?? new Date(now + 60_000).toISOString() },
    };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { kind: 'failed', reason: `the source answered ${response.status}`, cursor: next() };
  }
  try {
    const items = parseSource(options.source, await readCapped(response));
    const seen = new Set<string>();
    const unique = items.filter((item) => !seen.has(item.sourceId) && seen.add(item.sourceId));
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    return {
      kind: 'fetched',
      items: unique,
      cursor: {
        ...(etag ? { etag: etag.slice(0, 200) } : {}),
        ...(lastModified ? { lastModified: lastModified.slice(0, 100) } : {}),
        ...(retryAt ? { retryAt } : {}),
      },
    };
  } catch (error) {
    if (error instanceof MalformedBody)
      return { kind: 'failed', reason: `malformed body: ${error.message}`, cursor: validators };
    return { kind: 'failed', reason: 'the body could not be read', cursor: validators };
  }
}
