/** The five sources Parallel Universe watches (docs/parallel-universe.md). */
export const PU_SOURCES = [
  'anthropic-sdk-python',
  'openai-python',
  'arxiv-cs-ai',
  'github-search',
  'hacker-news',
] as const;
export type PuSource = (typeof PU_SOURCES)[number];

/**
 * Where each vendor's API lives. Operators may point them elsewhere (a mirror, a recorder in tests) through
 * the server's configuration; members never can, so no org can aim the server's fetches at a host of its
 * choosing.
 */
export interface PuBaseUrls {
  github: string;
  arxiv: string;
  hackerNews: string;
}

export const DEFAULT_BASE_URLS: PuBaseUrls = {
  github: 'https://api.github.com',
  arxiv: 'https://export.arxiv.org',
  hackerNews: 'https://hn.algolia.com',
};

/** What the search sources look for; fixed per deployment, like the base URLs. */
export interface PuQueries {
  githubSearch: string;
  hackerNews: string;
}

export const DEFAULT_QUERIES: PuQueries = {
  githubSearch: 'llm agent governance',
  hackerNews: 'LLM agents',
};

/** The request URL of a source. */
export function sourceUrl(source: PuSource, base: PuBaseUrls, queries: PuQueries = DEFAULT_QUERIES): string {
  const trim = (url: string) => url.replace(/\/+$/, '');
  switch (source) {
    case 'anthropic-sdk-python':
      return `${trim(base.github)}/repos/anthropics/anthropic-sdk-python/releases?per_page=20`;
    case 'openai-python':
      return `${trim(base.github)}/repos/openai/openai-python/releases?per_page=20`;
    case 'github-search':
      return `${trim(base.github)}/search/repositories?q=${encodeURIComponent(queries.githubSearch)}&sort=updated&order=desc&per_page=20`;
    case 'arxiv-cs-ai':
      return `${trim(base.arxiv)}/api/query?search_query=cat:cs.AI&sortBy=submittedDate&sortOrder=descending&max_results=20`;
    case 'hacker-news':
      return `${trim(base.hackerNews)}/api/v1/search_by_date?query=${encodeURIComponent(queries.hackerNews)}&tags=story&hitsPerPage=20`;
    default: {
      const never: never = source;
      return never;
    }
  }
}
