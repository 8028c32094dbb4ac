import { controlByUid, isControlUid } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { checkText } from './check.js';
import { FRAMEWORK_KEYS } from './patterns.js';
import { CORPUS_KINDS, l3Corpus } from './testing/corpus.js';

const { cases } = l3Corpus;
const byId = (id: string) => {
  const found = cases.find((c) => c.id === id);
  if (!found) throw new Error(`no corpus case ${id}`);
  return found;
};

describe('the L3 corpus', () => {
  it('holds at least 100 snippets with unique ids, of every kind', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const kind of CORPUS_KINDS)
      expect(cases.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(10);
    for (const c of cases) {
      expect(CORPUS_KINDS).toContain(c.kind);
      expect(c.text.length).toBeGreaterThan(0);
      if (c.framework !== undefined) expect(FRAMEWORK_KEYS).toContain(c.framework);
    }
  });

  it('labels real uids as cited, and only ids the catalogue does not hold under their framework as findings', () => {
    for (const c of cases) {
      for (const uid of c.expect.cited) expect(isControlUid(uid), `${c.id}: ${uid}`).toBe(true);
      for (const u of c.expect.unknown) expect(FRAMEWORK_KEYS, c.id).toContain(u.framework);
      for (const m of c.expect.misattributed) {
        expect(m.named, c.id).not.toBe(m.actual);
        expect(FRAMEWORK_KEYS, c.id).toContain(m.actual);
      }
      if (c.kind === 'negative')
        expect(c.expect, c.id).toEqual({ cited: [], unknown: [], misattributed: [] });
    }
  });

  it('names an actual framework that holds each misattributed id', () => {
    const misattributed = cases.flatMap((c) => c.expect.misattributed);
    expect(misattributed.length).toBeGreaterThanOrEqual(10);
    const native = (text: string) =>
      text.startsWith('Art. ')
        ? `Art.${text.slice(5)}`
        : text.startsWith('Annex III(')
          ? `AnnexIII.${text.slice(10, -1)}`
          : text;
    for (const m of misattributed)
      expect(controlByUid(`${m.actual}:${native(m.text)}`), m.text).toBeDefined();
  });

  it.each([
    'real-001',
    'real-016',
    'fake-001',
    'misattributed-001',
    'negative-003',
    'negative-008',
    'mixed-005',
  ])('the checker agrees with case %s', (id) => {
    const c = byId(id);
    expect(checkText({ text: c.text, framework: c.framework })).toEqual(c.expect);
  });
});
