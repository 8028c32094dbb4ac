import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from './index.js';

// A code nobody throws is a promise to clients the server does not keep; it leaves the catalogue
// (and the docs) with the last throw site. The scan reads the write side and the server, not specs.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const catalogueDir = join(root, 'core/src/errors/catalogue');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === catalogueDir || entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const code = ['core/src', 'commands/src', 'server/src']
  .flatMap((dir) => sources(join(root, dir)))
  .map((path) => readFileSync(path, 'utf8'))
  .join('\n');

/** Codes appear at throw sites as string literals: `apiError('not_found', …)`, `refuse('last_owner')`. */
const usedInSources = (source: string, name: string) => new RegExp(`['"\`]${name}['"\`]`).test(source);

describe('every catalogued error code is used', () => {
  it.each(Object.keys(errorCatalogue))('%s appears at a throw site', (name) => {
    expect(usedInSources(code, name), `${name} is in the catalogue but nothing throws it`).toBe(true);
  });

  it('does not count a code only the catalogue names, nor a longer code that contains it', () => {
    expect(usedInSources("throw apiError('not_found_anywhere', 'x')", 'not_found')).toBe(false);
    expect(usedInSources("throw refuse('last_owner')", 'last_owner')).toBe(true);
  });
});
