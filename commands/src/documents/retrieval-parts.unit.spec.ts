import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { markdownBlocks } from './blocks.js';
import { chunkBlocks, countTokens } from './chunk.js';
import { DEMO_EMBEDDING_DIMENSIONS, demoEmbedding } from './demo-embedder.js';
import { reciprocalRankFusion } from './rrf.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('chunking by structure', () => {
  const words = (n: number, w = 'word') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

  it('never spans two sections and starts each chunk with its heading path', () => {
    const chunks = chunkBlocks(
      markdownBlocks('# Policy\n\nIntro text.\n\n## Retention\n\nKeep logs a year.\n\n# Other\n\nMore.'),
    );
    expect(chunks.map((c) => c.text)).toEqual([
      'Policy\n\nIntro text.',
      'Policy > Retention\n\nKeep logs a year.',
      'Other\n\nMore.',
    ]);
  });

  it('keeps every chunk within the token limit and repeats the overlap', () => {
    const chunks = chunkBlocks(markdownBlocks(`# Long\n\n${words(400)}\n\n${words(300, 'more')}`), {
      maxTokens: 120,
      overlapTokens: 16,
    });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) expect(countTokens(c.text)).toBeLessThanOrEqual(120);
    // The end of one chunk reappears at the start of the next one's body.
    const [first, second] = chunks;
    const lastWord = first!.text.split(' ').at(-1)!;
    expect(second!.text.split('\n\n')[1]).toContain(lastWord);
  });

  it('keeps a fenced code block in one paragraph', () => {
    expect(markdownBlocks('```\n# not a heading\n\nstill code\n```')).toEqual([
      { kind: 'paragraph', text: '```\n# not a heading\n\nstill code\n```' },
    ]);
  });
});

describe('the lexical analyser', () => {
  it('drops stop words, folds case and plurals', () => {
    expect(analyze('The Policies of the Controls, and Data')).toEqual(['policy', 'control', 'data']);
  });
});

describe('the demo embedder', () => {
  it('is deterministic, unit length, and closer for texts sharing words', () => {
    const a = demoEmbedding('data retention schedule for audit logs');
    expect(a).toHaveLength(DEMO_EMBEDDING_DIMENSIONS);
    expect(demoEmbedding('data retention schedule for audit logs')).toEqual(a);
    expect(Math.abs(cosine(a, a) - 1)).toBeLessThan(1e-5);
    const near = demoEmbedding('how long are audit logs retained');
    const far = demoEmbedding('vendor onboarding questionnaire for suppliers');
    expect(cosine(a, near)).toBeGreaterThan(cosine(a, far));
  });
});

describe('reciprocal rank fusion', () => {
  it('scores Σ 1/(60 + rank) and names the lists that found each hit', () => {
    const fused = reciprocalRankFusion([
      { name: 'bm25', hits: [{ id: 'a' }, { id: 'b' }] },
      { name: 'vector', hits: [{ id: 'b' }, { id: 'c' }] },
    ]);
    expect(fused.map((f) => [f.hit.id, f.from])).toEqual([
      ['b', ['bm25', 'vector']],
      ['a', ['bm25']],
      ['c', ['vector']],
    ]);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
  });
});
