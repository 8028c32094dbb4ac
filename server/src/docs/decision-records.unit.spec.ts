import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const folder = fileURLToPath(new URL('../../../docs/decisions/', import.meta.url));
const records = readdirSync(folder)
  .filter((name) => name !== 'README.md')
  .sort();

describe('decision records', () => {
  it('are numbered 0001 upwards without gaps or repeats, each headed with its own number', () => {
    records.forEach((name, index) => {
      const number = String(index + 1).padStart(4, '0');
      expect(name).toMatch(new RegExp(`^${number}-[a-z0-9-]+\\.md$`));
      expect(readFileSync(folder + name, 'utf8').split('\n')[0]).toMatch(new RegExp(`^# ${number} — \\S`));
    });
  });

  it('are all listed in the index, by their own titles, and the index lists nothing else', () => {
    const index = readFileSync(`${folder}README.md`, 'utf8');
    const listed = [...index.matchAll(/^\|\s*(\d{4})\s*\|\s*\[(.+)\]\((\S+)\)\s*\|$/gm)].map((m) => ({
      number: m[1],
      title: m[2],
      file: m[3],
    }));
    expect(listed.map((l) => l.file)).toEqual(records);
    for (const { number, title, file } of listed) {
      expect(readFileSync(folder + file, 'utf8').split('\n')[0]).toBe(`# ${number} — ${title}`);
    }
  });
});
