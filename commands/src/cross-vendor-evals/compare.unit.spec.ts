import { describe, expect, it } from 'vitest';
import { comparableText, decisionDiffs, fieldValues, readAnswer } from './compare.js';
import { parseDecisionPath, valueAt } from './paths.js';
import type { CrossVendorCase } from './suite.js';
import { suiteProblems } from './suite-check.js';

const structured: CrossVendorCase = {
  input: [{ role: 'user', content: 'Approve the refund?' }],
  decisionFields: ['$.approve', '$.items[0]["sku id"]'],
  outputSchema: { type: 'object', required: ['approve'], properties: { approve: { type: 'boolean' } } },
};

describe('decision fields and answers', () => {
  it('reads paths in the mapping syntax rooted at $, and refuses others naming the fault', () => {
    expect(parseDecisionPath('$')).toEqual([]);
    expect(parseDecisionPath('$.a.b[2]["x y"]')).toEqual(['a', 'b', 2, 'x y']);
    expect(() => parseDecisionPath('approve')).toThrow(/starts with "\$"/);
    expect(() => parseDecisionPath('$.a..b')).toThrow(/expected a name/);
    expect(valueAt({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(valueAt({ a: 1 }, ['constructor'])).toBeUndefined();
  });

  it('validates a structured answer with its schema, fenced or not, and keeps free text as it is', () => {
    expect(readAnswer(structured, '```json\n{"approve":true}\n```')).toEqual({
      value: { approve: true },
      valid: true,
      problems: [],
    });
    expect(readAnswer(structured, '{"approve":"yes"}').valid).toBe(false);
    expect(readAnswer(structured, 'yes, approve it').problems).toEqual(['(root): is not a JSON document']);
    const free: CrossVendorCase = { input: [{ role: 'user', content: 'hi' }] };
    expect(readAnswer(free, 'Hello!')).toEqual({ value: 'Hello!', valid: true, problems: [] });
  });

  it('diffs two answers on their decision fields only, whatever the key order', () => {
    const a = fieldValues(structured, { approve: true, items: [{ 'sku id': 'A1', note: 'x' }] });
    const b = fieldValues(structured, { items: [{ note: 'y', 'sku id': 'A1' }], approve: false });
    expect(decisionDiffs(structured, a, b)).toEqual([{ path: '$.approve', a: true, b: false }]);
    expect(decisionDiffs(structured, a, a)).toEqual([]);
    const missing = fieldValues(structured, { approve: true });
    expect(decisionDiffs(structured, a, missing)).toEqual([
      { path: '$.items[0]["sku id"]', a: 'A1', b: undefined },
    ]);
  });

  it('compares free text normalised and JSON canonically', () => {
    const free: CrossVendorCase = { input: [{ role: 'user', content: 'capital?' }] };
    expect(comparableText(readAnswer(free, 'Paris.'), 'Paris.')).toBe(
      comparableText(readAnswer(free, ' paris'), ' paris'),
    );
    const x = readAnswer(structured, '{"approve":true,"why":"ok"}');
    const y = readAnswer(structured, '{ "why": "ok", "approve": true }');
    expect(comparableText(x, 'x')).toBe(comparableText(y, 'y'));
  });
});

describe('a suite as written', () => {
  const base = {
    name: 's',
    cases: [structured],
    providers: [
      { provider: 'openai', model: 'gpt-4o' },
      { provider: 'anthropic', model: 'claude' },
    ],
    judge: null,
    schedule: null,
  };

  it('passes when every part can run', () => {
    expect(suiteProblems(base)).toEqual([]);
    expect(suiteProblems({ ...base, schedule: '0 3 * * *' })).toEqual([]);
  });

  it('names each field to fix', () => {
    const problems = suiteProblems({
      ...base,
      providers: [base.providers[0]!, { provider: 'nope', model: 'x' }, base.providers[0]!],
      judge: { provider: 'nope', model: 'x' },
      cases: [
        { ...structured, decisionFields: ['approve'], outputSchema: { type: 'object', bogus: 1 } },
        { input: { skill: 'intake.nope', input: {} } },
      ],
      schedule: 'every day',
    });
    expect(problems.map((p) => p.field)).toEqual([
      'body.providers.1.provider',
      'body.providers.2',
      'body.judge.provider',
      'body.cases.0.decisionFields.0',
      'body.cases.0.outputSchema',
      'body.cases.1.input.skill',
      'body.schedule',
    ]);
  });
});
