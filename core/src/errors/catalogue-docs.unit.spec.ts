import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ErrorCode, errorCatalogue, errorSections } from './index.js';

// Like Fastify's test/internals/errors.test.js: the catalogue and the docs clients read must agree,
// code for code and status for status, in both directions.
const docsDir = new URL('../../../docs/', import.meta.url);
const read = (page: string) => readFileSync(new URL(page, docsDir), 'utf8');

const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ +/g, '-');

/** The lines under a heading, up to the next heading of the same or a higher level. */
function sectionOf(markdown: string, anchor: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && slug(line.replace(/^#+ /, '')) === anchor);
  if (start < 0) return [];
  const level = lines[start]!.match(/^#+/)![0].length;
  const end = lines.findIndex(
    (line, i) => i > start && /^#+ /.test(line) && line.match(/^#+/)![0].length <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Codes in the first column of the section's tables, with the status in the second. */
function documentedCodes(lines: string[]): Map<string, number> {
  const codes = new Map<string, number>();
  for (const line of lines) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !/^\d{3}$/.test(cells[2]!)) continue;
    for (const [, code] of cells[1]!.matchAll(/`([a-z_]+)`/g)) codes.set(code!, Number(cells[2]));
  }
  return codes;
}

const pages = { 'api.md': read('api.md'), 'gateway.md': read('gateway.md') };
const documented = (anchor: string) => {
  const [page, heading] = anchor.split('#') as [keyof typeof pages, string];
  return documentedCodes(sectionOf(pages[page], heading));
};

describe('the error catalogue and the docs', () => {
  it.each(Object.entries(errorCatalogue))(
    'documents %s with its status where its entry points',
    (code, entry) => {
      const table = documented(entry.docs);
      expect(table.has(code), `${code} is missing from docs/${entry.docs}`).toBe(true);
      expect(table.get(code), `docs/${entry.docs} gives ${code} another status`).toBe(entry.status);
    },
  );

  it('lists in the docs only codes the catalogue has, with their statuses', () => {
    const listed = new Map([...documented('api.md#errors'), ...documented('gateway.md#errors')]);
    expect(listed.size).toBeGreaterThan(30);
    const unknown = [...listed.keys()].filter((code) => !Object.hasOwn(errorCatalogue, code));
    expect(unknown, 'documented codes the catalogue does not have').toEqual([]);
    const wrong = [...listed].filter(([code, status]) => errorCatalogue[code as ErrorCode].status !== status);
    expect(wrong, 'documented statuses the catalogue does not give').toEqual([]);
  });

  it('keeps each code in one section, so no section silently overrides another', () => {
    const all = Object.values(errorSections).flatMap((section) => Object.keys(section));
    expect(all.length).toBe(new Set(all).size);
    expect(all.length).toBe(Object.keys(errorCatalogue).length);
  });

  it('reads a table only under the heading an anchor names', () => {
    const markdown =
      '## Errors\n### A\n| c | s |\n| `one` | 400 |\n### B\n| `two` | 409 |\n## Next\n| `three` | 500 |';
    expect([...documentedCodes(sectionOf(markdown, 'a'))]).toEqual([['one', 400]]);
    expect([...documentedCodes(sectionOf(markdown, 'errors')).keys()]).toEqual(['one', 'two']);
  });
});
