import { XMLParser } from 'fast-xml-parser';
import type { PuSource } from './sources.js';

/** One thing a source published, as every source's parser returns it. */
export interface PuFetchedItem {
  /** The source's own id (release id, arXiv id, repository id, HN objectID): what dedupes. */
  sourceId: string;
  title: string;
  url: string;
  publishedAt: string | null;
  /** The first part of the body (release notes, abstract, description), for triage. */
  excerpt: string;
}

export class MalformedBody extends Error {}

const EXCERPT = 2_000;
const text = (value: unknown, max = 500) => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const idText = (value: unknown) =>
  typeof value === 'number' || (typeof value === 'string' && value.length > 0)
    ? String(value).slice(0, 200)
    : undefined;
const isoOrNull = (value: unknown) => {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};
const httpUrl = (value: unknown) =>
  typeof value === 'string' && /^https?:\/\//.test(value) ? value.slice(0, 1_000) : '';

function json(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new MalformedBody('the body is not JSON');
  }
}

/** GitHub's `GET /repos/{owner}/{repo}/releases`: an array of releases. */
function githubReleases(body: string, repo: string): PuFetchedItem[] {
  const parsed = json(body);
  if (!Array.isArray(parsed)) throw new MalformedBody('expected an array of releases');
  return parsed.flatMap((r: Record<string, unknown>) => {
    const id = idText(r?.id);
    if (!id || r.draft === true) return [];
    return [
      {
        sourceId: `${repo}#${id}`,
        title: `${repo} ${text(r.name) || text(r.tag_name)}`.trim(),
        url: httpUrl(r.html_url),
        publishedAt: isoOrNull(r.published_at),
        excerpt: text(r.body, EXCERPT),
      },
    ];
  });
}

/** GitHub's `GET /search/repositories`: `{total_count, incomplete_results, items}`. */
function githubSearch(body: string): PuFetchedItem[] {
  const parsed = json(body) as { items?: unknown };
  if (!parsed || !Array.isArray(parsed.items)) throw new MalformedBody('expected a search result with items');
  return parsed.items.flatMap((r: Record<string, unknown>) => {
    const id = idText(r?.id);
    if (!id) return [];
    return [
      {
        sourceId: id,
        title: text(r.full_name),
        url: httpUrl(r.html_url),
        publishedAt: isoOrNull(r.pushed_at ?? r.updated_at),
        excerpt: text(r.description, EXCERPT),
      },
    ];
  });
}

/** Algolia's Hacker News `search_by_date`: `{hits: [{objectID, title, url, created_at, story_text}]}`. */
function hackerNews(body: string): PuFetchedItem[] {
  const parsed = json(body) as { hits?: unknown };
  if (!parsed || !Array.isArray(parsed.hits)) throw new MalformedBody('expected a search result with hits');
  return parsed.hits.flatMap((h: Record<string, unknown>) => {
    const id = idText(h?.objectID);
    if (!id) return [];
    return [
      {
        sourceId: id,
        title: text(h.title),
        url: httpUrl(h.url) || `https://news.ycombinator.com/item?id=${encodeURIComponent(id)}`,
        publishedAt: isoOrNull(h.created_at),
        excerpt: text(h.story_text, EXCERPT),
      },
    ];
  });
}

const atom = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => name === 'entry' || name === 'link',
  // Entities beyond XML's own are not expanded: a feed cannot grow itself by reference.
  processEntities: true,
});

/** arXiv's API answers an Atom feed; an entry's `id` is its abstract URL, the stable id once versions are cut. */
function arxiv(body: string): PuFetchedItem[] {
  let parsed: { feed?: { entry?: Record<string, unknown>[] } };
  try {
    parsed = atom.parse(body, true) as typeof parsed;
  } catch {
    throw new MalformedBody('the body is not well-formed XML');
  }
  if (!parsed?.feed || typeof parsed.feed !== 'object') throw new MalformedBody('expected an Atom feed');
  return (parsed.feed.entry ?? []).flatMap((e) => {
    const raw = typeof e.id === 'string' ? e.id : '';
    const id = raw.replace(/^https?:\/\/arxiv\.org\/abs\//, '').replace(/v\d+$/, '');
    if (!id) return [];
    const links = (e.link as Record<string, unknown>[] | undefined) ?? [];
    const alternate = links.find((l) => l['@rel'] === 'alternate') ?? links[0];
    return [
      {
        sourceId: id.slice(0, 200),
        title: text(e.title).replace(/\s+/g, ' '),
        url: httpUrl(alternate?.['@href']) || httpUrl(raw),
        publishedAt: isoOrNull(e.published),
        excerpt: text(e.summary, EXCERPT).replace(/\s+/g, ' '),
      },
    ];
  });
}

/** The items of one source's answer; throws `MalformedBody` when the body is not the vendor's format. */
export function parseSource(source: PuSource, body: string): PuFetchedItem[] {
  switch (source) {
    case 'anthropic-sdk-python':
      return githubReleases(body, 'anthropic-sdk-python');
    case 'openai-python':
      return githubReleases(body, 'openai-python');
    case 'github-search':
      return githubSearch(body);
    case 'arxiv-cs-ai':
      return arxiv(body);
    case 'hacker-news':
      return hackerNews(body);
    default: {
      const never: never = source;
      return never;
    }
  }
}
