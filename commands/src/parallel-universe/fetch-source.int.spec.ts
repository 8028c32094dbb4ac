import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSource } from './fetch-source.js';
import type { PuBaseUrls, PuSource } from './sources.js';
import {
  anthropicReleases,
  arxivFeed,
  githubSearch,
  hackerNews,
  openaiReleases,
} from './testing/fixtures.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('the five Parallel Universe fetchers against recorded-format answers', () => {
  let url: string;
  let handler: Handler = (_req, res) => res.end();
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = (): PuBaseUrls => ({ github: url, arxiv: `${url}/arxiv`, hackerNews: `${url}/hn` });
  const now = Date.parse('2026-12-03T12:00:00Z');
  const fetchOf = (source: PuSource, cursor = {}) =>
    fetchSource({ source, baseUrls: base(), cursor, timeoutMs: 2_000, now });
  const serve = (body: string, type: string, headers: Record<string, string> = {}) => {
    handler = (_req, res) => {
      res.writeHead(200, {
        'content-type': type,
        etag: '"v1"',
        'last-modified': 'Tue, 02 Dec 2026 10:00:00 GMT',
        ...headers,
      });
      res.end(body);
    };
  };

  it('parses GitHub releases of both SDKs, the search, arXiv Atom and Algolia into items with stable ids', async () => {
    serve(anthropicReleases, 'application/json; charset=utf-8');
    const anthropic = await fetchOf('anthropic-sdk-python');
    expect(seen.at(-1)!.url).toBe('/repos/anthropics/anthropic-sdk-python/releases?per_page=20');
    expect(seen.at(-1)!.headers['x-github-api-version']).toBe('2022-11-28');
    expect(anthropic).toMatchObject({
      kind: 'fetched',
      cursor: { etag: '"v1"', lastModified: 'Tue, 02 Dec 2026 10:00:00 GMT' },
    });
    if (anthropic.kind !== 'fetched') throw new Error('not fetched');
    expect(anthropic.items.map((i) => [i.sourceId, i.title, i.publishedAt])).toEqual([
      ['anthropic-sdk-python#190001001', 'anthropic-sdk-python v0.49.0', '2026-11-30T18:04:11.000Z'],
      ['anthropic-sdk-python#189500222', 'anthropic-sdk-python v0.48.2', '2026-11-21T09:12:40.000Z'],
    ]);
    expect(anthropic.items[0]!.excerpt).toContain('citations in tool results');

    serve(openaiReleases, 'application/json');
    const openai = await fetchOf('openai-python');
    expect(seen.at(-1)!.url).toBe('/repos/openai/openai-python/releases?per_page=20');
    expect(openai.kind === 'fetched' && openai.items.map((i) => i.url)).toEqual([
      'https://github.com/openai/openai-python/releases/tag/v1.99.0',
    ]);

    serve(githubSearch, 'application/json');
    const search = await fetchOf('github-search');
    expect(seen.at(-1)!.url).toMatch(/^\/search\/repositories\?q=llm%20agent%20governance&sort=updated/);
    expect(search.kind === 'fetched' && search.items.map((i) => [i.sourceId, i.title])).toEqual([
      ['712345678', 'example-org/agent-guard'],
      ['698765432', 'someone/llm-ledger'],
    ]);

    serve(arxivFeed, 'application/atom+xml; charset=utf-8');
    const arxiv = await fetchOf('arxiv-cs-ai');
    expect(seen.at(-1)!.url).toMatch(/^\/arxiv\/api\/query\?search_query=cat:cs\.AI&sortBy=submittedDate/);
    if (arxiv.kind !== 'fetched') throw new Error(`arXiv: ${JSON.stringify(arxiv)}`);
    expect(arxiv.items.map((i) => [i.sourceId, i.title, i.url])).toEqual([
      [
        '2612.01234',
        'Auditable Tool Use for Language Model Agents under Organisational Policy',
        'http://arxiv.org/abs/2612.01234v1',
      ],
      ['2612.00999', 'Self-Evolving Prompts with Human Approval', 'http://arxiv.org/abs/2612.00999v2'],
    ]);
    expect(arxiv.items[0]!.excerpt).toBe(
      'We study agents whose every tool call passes a policy gate and lands in a tamper-evident log, and measure the overhead on three benchmarks.',
    );

    serve(hackerNews, 'application/json');
    const hn = await fetchOf('hacker-news');
    expect(seen.at(-1)!.url).toBe('/hn/api/v1/search_by_date?query=LLM%20agents&tags=story&hitsPerPage=20');
    expect(hn.kind === 'fetched' && hn.items.map((i) => [i.sourceId, i.url])).toEqual([
      ['42424242', 'https://example.com/governed-agents'],
      ['42424100', 'https://news.ycombinator.com/item?id=42424100'],
    ]);
  });

  it('asks conditionally with the validators it kept and treats 304 as nothing new', async () => {
    handler = (req, res) => {
      const fresh =
        req.headers['if-none-match'] === '"v1"' &&
        req.headers['if-modified-since'] === 'Tue, 02 Dec 2026 10:00:00 GMT';
      res.writeHead(fresh ? 304 : 200, { etag: '"v1"' });
      res.end(fresh ? undefined : anthropicReleases);
    };
    const outcome = await fetchOf('anthropic-sdk-python', {
      etag: '"v1"',
      lastModified: 'Tue, 02 Dec 2026 10:00:00 GMT',
    });
    expect(outcome).toEqual({
      kind: 'not_modified',
      cursor: { etag: '"v1"', lastModified: 'Tue, 02 Dec 2026 10:00:00 GMT' },
    });
  });

  it('honours rate limits: Retry-After, an exhausted GitHub quota, and no request before the reset', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '120', 'content-type': 'application/json' });
      res.end('{"message":"Too Many Requests"}');
    };
    expect(await fetchOf('hacker-news')).toEqual({
      kind: 'rate_limited',
      cursor: { retryAt: '2026-12-03T12:02:00.000Z' },
    });

    const reset = Math.floor(now / 1000) + 600;
    handler = (_req, res) => {
      res.writeHead(403, {
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
        'content-type': 'application/json',
      });
      res.end(
        '{"message":"API rate limit exceeded for 203.0.113.7.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}',
      );
    };
    const limited = await fetchOf('github-search', { etag: '"old"' });
    expect(limited).toEqual({
      kind: 'rate_limited',
      cursor: { etag: '"old"', retryAt: new Date(reset * 1000).toISOString() },
    });

    const before = seen.length;
    const deferred = await fetchOf('github-search', limited.cursor);
    expect(deferred.kind).toBe('deferred');
    expect(seen.length).toBe(before);

    // The last request of a quota still answers, and the next waits for its reset.
    serve(githubSearch, 'application/json', {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
    });
    const last = await fetchOf('github-search');
    expect(last.kind === 'fetched' && last.cursor.retryAt).toBe(new Date(reset * 1000).toISOString());
  });

  it('reports malformed bodies, error statuses and timeouts as failures, never as items', async () => {
    serve('{"items": "not a list"}', 'application/json');
    expect(await fetchOf('github-search')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('malformed body'),
    });
    serve('<html><body>502 Bad Gateway</body>', 'application/json');
    expect(await fetchOf('hacker-news')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('not JSON'),
    });
    serve('<feed><entry><id>http://arxiv.org/abs/1</id>', 'application/atom+xml');
    expect(await fetchOf('arxiv-cs-ai')).toMatchObject({
      kind: 'failed',
      reason: expect.stringContaining('malformed body'),
    });
    serve('<rss><channel/></rss>', 'application/atom+xml');
    expect(await fetchOf('arxiv-cs-ai')).toMatchObject({
      kind: 'failed',
      reason: 'malformed body: expected an Atom feed',
    });
    handler = (_req, res) => {
      res.writeHead(500);
      res.end('oops');
    };
    expect(await fetchOf('openai-python')).toMatchObject({
      kind: 'failed',
      reason: 'the source answered 500',
    });
    handler = () => {
      // Never answers.
    };
    const hung = await fetchSource({
      source: 'hacker-news',
      baseUrls: base(),
      cursor: {},
      timeoutMs: 200,
      now,
    });
    expect(hung).toMatchObject({ kind: 'failed', reason: 'timed out' });
  });

  it('keeps one item per source id when an answer repeats one', async () => {
    const doubled = JSON.parse(hackerNews) as { hits: unknown[] };
    doubled.hits.push(doubled.hits[0]);
    serve(JSON.stringify(doubled), 'application/json');
    const outcome = await fetchOf('hacker-news');
    expect(outcome.kind === 'fetched' && outcome.items.map((i) => i.sourceId)).toEqual([
      '42424242',
      '42424100',
    ]);
  });
});
