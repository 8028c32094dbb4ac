import { describe, expect, it } from 'vitest';
import { type Assertion, evaluateAssertions } from './assertions.js';

const output = {
  tier: 'high',
  areas: ['employment', 'Education'],
  summary: 'The Applicant Ranker screens CVs',
  risks: [{ score: 12, owner: 'HR' }],
  'a/b': { '~x': 1 },
};

const check = (assertion: Assertion) => evaluateAssertions({ output, assertions: [assertion] }).results[0]!;

describe('eval assertions', () => {
  it('checks a value against a JSON Schema, at a path or on the whole answer', () => {
    expect(check({ type: 'schema', schema: { type: 'object', required: ['tier'] } }).passed).toBe(true);
    expect(check({ type: 'schema', path: '/risks', schema: { type: 'array', minItems: 2 } })).toMatchObject({
      passed: false,
      message: expect.stringContaining('must NOT have fewer than 2 items'),
    });
    expect(check({ type: 'schema', schema: { typo: true } })).toMatchObject({
      passed: false,
      message: expect.stringContaining('does not compile'),
    });
  });

  it('compares with deep equality', () => {
    expect(check({ type: 'equals', path: '/tier', value: 'high' }).passed).toBe(true);
    expect(check({ type: 'equals', path: '/risks/0', value: { score: 12, owner: 'HR' } }).passed).toBe(true);
    expect(check({ type: 'equals', path: '/tier', value: 'High' })).toMatchObject({
      passed: false,
      message: '/tier: expected "High", got "high"',
    });
  });

  it('finds a substring or an array element, ignoring case', () => {
    expect(check({ type: 'contains', path: '/summary', value: 'applicant ranker' }).passed).toBe(true);
    expect(check({ type: 'contains', path: '/areas', value: 'education' }).passed).toBe(true);
    expect(check({ type: 'contains', path: '/areas', value: 'biometrics' }).passed).toBe(false);
    expect(check({ type: 'contains', path: '/risks/0/score', value: 1 })).toMatchObject({
      passed: false,
      message: '/risks/0/score: is neither a string nor an array',
    });
  });

  it('bounds numbers inclusively', () => {
    expect(check({ type: 'range', path: '/risks/0/score', min: 12, max: 12 }).passed).toBe(true);
    expect(check({ type: 'range', path: '/risks/0/score', max: 11 }).message).toBe(
      '/risks/0/score: 12 is above 11',
    );
    expect(check({ type: 'range', path: '/risks/0/score', min: 13 }).passed).toBe(false);
    expect(check({ type: 'range', path: '/tier', min: 0 }).message).toBe('/tier: is not a number');
  });

  it('reads JSON Pointers with escapes and reports what is missing', () => {
    expect(check({ type: 'equals', path: '/a~1b/~0x', value: 1 }).passed).toBe(true);
    expect(check({ type: 'equals', path: '/risks/1/score', value: 1 }).message).toBe(
      '/risks/1/score: nothing there',
    );
    expect(check({ type: 'equals', path: 'tier', value: 'high' }).passed).toBe(false);
  });

  it('passes a report only when every assertion passes', () => {
    const report = evaluateAssertions({
      output,
      assertions: [
        { type: 'equals', path: '/tier', value: 'high' },
        { type: 'range', path: '/risks/0/score', max: 5 },
      ],
    });
    expect(report.passed).toBe(false);
    expect(report.results.map((r) => r.passed)).toEqual([true, false]);
    expect(evaluateAssertions({ output, assertions: [] }).passed).toBe(true);
  });
});
