import { describe, expect, it } from 'vitest';
import { argClass } from './arg-class.js';
import { PrecedentIndex } from './precedents.js';
import { assessRisk } from './risk.js';

describe('precedent engine', () => {
  const base = { target: 'tool/write', argClass: 'content,path:docs:md', decidedBy: 'usr_1' };

  it('auto-approves near-identical requests once support passes the threshold; remember weighs 3x', () => {
    const index = new PrecedentIndex();
    const ask = {
      target: base.target,
      argClass: base.argClass,
      text: 'write release notes to docs/notes.md',
      risk: 'medium' as const,
      threshold: 2.5,
    };
    index.add({
      ...base,
      requestId: 'h1',
      decision: 'approve',
      remember: false,
      text: 'write release notes to docs/notes.md',
    });
    expect(index.match(ask).approve).toBe(false);
    index.add({
      ...base,
      requestId: 'h2',
      decision: 'approve',
      remember: true,
      text: 'write release notes to docs/notes.md',
    });
    const match = index.match(ask);
    expect(match.approve).toBe(true);
    expect(match.score).toBeCloseTo(4);
    expect(match.cited.map((c) => c.requestId).sort()).toEqual(['h1', 'h2']);
    expect(match.cited[0]).toMatchObject({ approvedBy: 'usr_1', similarity: 1 });
  });

  it('never auto-approves high risk, other targets or dissimilar text; denials and revocations count', () => {
    const index = new PrecedentIndex();
    index.add({
      ...base,
      requestId: 'h1',
      decision: 'approve',
      remember: true,
      text: 'update the changelog file',
    });
    const ask = {
      target: base.target,
      argClass: base.argClass,
      text: 'update the changelog file',
      risk: 'low' as const,
      threshold: 2.5,
    };
    expect(index.match(ask).approve).toBe(true);
    expect(index.match({ ...ask, risk: 'high' }).approve).toBe(false);
    expect(index.match({ ...ask, target: 'tool/edit' }).approve).toBe(false);
    expect(index.match({ ...ask, text: 'delete every production database table now' }).approve).toBe(false);
    index.add({
      ...base,
      requestId: 'h2',
      decision: 'deny',
      remember: false,
      text: 'update the changelog file',
    });
    expect(index.match(ask).approve).toBe(false);
    expect(index.revoke('h2')).toBe(true);
    expect(index.match(ask).approve).toBe(true);
    expect(index.revoke('h1')).toBe(true);
    expect(index.match(ask).approve).toBe(false);
  });
});

describe('risk and argument class', () => {
  it('grades shell and secrets high, writes and financial data medium', () => {
    expect(assessRisk({ kind: 'tool_call', target: 'tool/bash', dlp: {} })).toBe('high');
    expect(assessRisk({ kind: 'llm_call', target: 'openai/gpt-4o', dlp: { API_SECRET: 1 } })).toBe('high');
    expect(assessRisk({ kind: 'tool_call', target: 'tool/write', dlp: {} })).toBe('medium');
    expect(assessRisk({ kind: 'llm_call', target: 'openai/gpt-4o', dlp: { CREDIT_CARD: 2 } })).toBe('medium');
    expect(assessRisk({ kind: 'tool_call', target: 'tool/read', dlp: { EMAIL: 1 } })).toBe('low');
  });

  it('classes arguments by names, top folder and extension', () => {
    expect(argClass({ path: 'docs/a/b.md', content: 'x' })).toBe('content,path:docs:md');
    expect(argClass({ path: 'notes.txt' })).toBe('path:.:txt');
    expect(argClass('text')).toBe('string');
  });
});
