/**
 * Responses in the vendors' own formats, written after their documented shapes: GitHub's REST releases
 * and repository search, arXiv's Atom feed (with its opensearch and arxiv namespaces), Algolia's Hacker
 * News search. Trimmed to the fields a real answer carries around the ones read.
 */
const author = {
  login: 'stainless-app[bot]',
  id: 142633134,
  node_id: 'BOT_kgDOCIB9rg',
  type: 'Bot',
  site_admin: false,
};

export const releasesJson = (
  repo: string,
  releases: { id: number; tag: string; body: string; at: string }[],
) =>
  JSON.stringify(
    releases.map((r) => ({
      url: `https://api.github.com/repos/${repo}/releases/${r.id}`,
      assets_url: `https://api.github.com/repos/${repo}/releases/${r.id}/assets`,
      upload_url: `https://uploads.github.com/repos/${repo}/releases/${r.id}/assets{?name,label}`,
      html_url: `https://github.com/${repo}/releases/tag/${r.tag}`,
      id: r.id,
      author,
      node_id: `RE_kwDOJ${r.id}`,
      tag_name: r.tag,
      target_commitish: 'main',
      name: r.tag,
      draft: false,
      prerelease: false,
      created_at: r.at,
      published_at: r.at,
      assets: [],
      tarball_url: `https://api.github.com/repos/${repo}/tarball/${r.tag}`,
      zipball_url: `https://api.github.com/repos/${repo}/zipball/${r.tag}`,
      body: r.body,
    })),
  );

export const anthropicReleases = releasesJson('anthropics/anthropic-sdk-python', [
  {
    id: 190001001,
    tag: 'v0.49.0',
    at: '2026-11-30T18:04:11Z',
    body: '## 0.49.0 (2026-11-30)\n\n### Features\n\n* **api:** add support for citations in tool results\n',
  },
  {
    id: 189500222,
    tag: 'v0.48.2',
    at: '2026-11-21T09:12:40Z',
    body: '## 0.48.2 (2026-11-21)\n\n### Bug Fixes\n\n* **client:** retry on 529 overloaded\n',
  },
]);

export const openaiReleases = releasesJson('openai/openai-python', [
  {
    id: 190100777,
    tag: 'v1.99.0',
    at: '2026-12-01T20:30:00Z',
    body: '## 1.99.0 (2026-12-01)\n\n### Features\n\n* **api:** structured outputs for the responses API\n',
  },
]);

export const githubSearch = JSON.stringify({
  total_count: 2,
  incomplete_results: false,
  items: [
    {
      id: 712345678,
      node_id: 'R_kgDOKp1234',
      name: 'agent-guard',
      full_name: 'example-org/agent-guard',
      private: false,
      owner: { login: 'example-org', id: 1234, type: 'Organization' },
      html_url: 'https://github.com/example-org/agent-guard',
      description: 'Policy enforcement for LLM agents: tool allow-lists and audit trails',
      fork: false,
      created_at: '2025-10-02T08:00:00Z',
      updated_at: '2026-12-02T10:11:12Z',
      pushed_at: '2026-12-02T10:11:00Z',
      stargazers_count: 1312,
      language: 'Python',
      topics: ['llm', 'agents', 'governance'],
      score: 1.0,
    },
    {
      id: 698765432,
      node_id: 'R_kgDOKa9876',
      name: 'llm-ledger',
      full_name: 'someone/llm-ledger',
      private: false,
      owner: { login: 'someone', id: 5678, type: 'User' },
      html_url: 'https://github.com/someone/llm-ledger',
      description: 'Hash-chained logs of model calls',
      fork: false,
      created_at: '2025-06-11T12:00:00Z',
      updated_at: '2026-11-29T07:00:00Z',
      pushed_at: '2026-11-29T06:59:00Z',
      stargazers_count: 87,
      language: 'TypeScript',
      topics: [],
      score: 1.0,
    },
  ],
});

export const arxivFeed = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query?search_query%3Dcat%3Acs.AI%26id_list%3D%26start%3D0%26max_results%3D20" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=cat:cs.AI&amp;id_list=&amp;start=0&amp;max_results=20</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2026-12-03T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">152340</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">20</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/2612.01234v1</id>
    <updated>2026-12-02T18:59:59Z</updated>
    <published>2026-12-02T18:59:59Z</published>
    <title>Auditable Tool Use for Language Model Agents
  under Organisational Policy</title>
    <summary>  We study agents whose every tool call passes a policy gate and lands in a
tamper-evident log, and measure the overhead on three benchmarks.
</summary>
    <author><name>A. Researcher</name></author>
    <author><name>B. Scientist</name></author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">12 pages, 4 figures</arxiv:comment>
    <link href="http://arxiv.org/abs/2612.01234v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2612.01234v1" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2612.00999v2</id>
    <updated>2026-12-02T11:00:00Z</updated>
    <published>2026-12-01T09:30:00Z</published>
    <title>Self-Evolving Prompts with Human Approval</title>
    <summary>Prompts that change only through approved, replayed edits.</summary>
    <author><name>C. Author</name></author>
    <link href="http://arxiv.org/abs/2612.00999v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2612.00999v2" rel="related" type="application/pdf"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
`;

export const hackerNews = JSON.stringify({
  hits: [
    {
      _highlightResult: { title: { value: 'Show HN: Governed <em>LLM agents</em>', matchLevel: 'full' } },
      _tags: ['story', 'author_jdoe', 'story_42424242'],
      author: 'jdoe',
      children: [42424300],
      created_at: '2026-12-02T15:00:00Z',
      created_at_i: 1796223600,
      num_comments: 12,
      objectID: '42424242',
      points: 88,
      story_id: 42424242,
      title: 'Show HN: Governed LLM agents',
      updated_at: '2026-12-02T16:00:00Z',
      url: 'https://example.com/governed-agents',
    },
    {
      _tags: ['story', 'author_asmith', 'story_42424100', 'ask_hn'],
      author: 'asmith',
      created_at: '2026-12-02T12:00:00Z',
      created_at_i: 1796212800,
      num_comments: 3,
      objectID: '42424100',
      points: 5,
      story_id: 42424100,
      story_text: 'How do you audit what your agents do?',
      title: 'Ask HN: Auditing LLM agents?',
      updated_at: '2026-12-02T12:30:00Z',
    },
  ],
  nbHits: 2,
  page: 0,
  nbPages: 1,
  hitsPerPage: 20,
  exhaustiveNbHits: true,
  exhaustiveTypo: true,
  query: 'LLM agents',
  params: 'query=LLM+agents&tags=story&hitsPerPage=20',
  processingTimeMS: 3,
});
