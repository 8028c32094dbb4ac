import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
const specifiers = (name: string) =>
  [
    ...readFileSync(new URL(name, dir), 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms),
  ].map((match) => match[1]);

/** Browsers bundle the contract, so what it pulls in is kept to zod and its own files. */
describe('what the api package imports', () => {
  it('finds the imports it checks', () => {
    expect(specifiers('runs.ts')).toEqual(['zod', './vocabulary.js']);
  });

  it('is zod and its own modules, nothing else', () => {
    for (const name of sources)
      for (const specifier of specifiers(name))
        expect([name, specifier]).toEqual([name, expect.stringMatching(/^(zod|\.\/[a-z-]+\.js)$/)]);
  });

  it('keeps the lists and names free of zod, so a client using only them bundles no validator', () => {
    expect(specifiers('vocabulary.ts')).toEqual([]);
  });
});
