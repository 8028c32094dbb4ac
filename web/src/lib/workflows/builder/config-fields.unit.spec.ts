import { describe, expect, it } from 'vitest';
import { fieldText, fieldValue, problemsByField, withField } from './config-fields';

describe('side panel field values', () => {
  it('keeps references as text whatever the field type', () => {
    expect(fieldValue('$.nodes.a.output.n', 'integer')).toBe('$.nodes.a.output.n');
    expect(fieldText('$.input.name', 'text')).toBe('$.input.name');
  });

  it('types literals by the field kind and leaves an empty field out', () => {
    expect(fieldValue('60', 'integer')).toBe(60);
    expect(fieldValue('six', 'integer')).toBe('six');
    expect(fieldValue('true', 'flag')).toBe(true);
    expect(fieldValue('a\n\n b ', 'lines')).toEqual(['a', 'b']);
    expect(fieldValue('{"x":1}', 'json')).toEqual({ x: 1 });
    expect(fieldValue('plain words', 'json')).toBe('plain words');
    expect(fieldValue('  ', 'text')).toBeUndefined();
    expect(fieldText({ x: 1 }, 'json')).toBe('{"x":1}');
    expect(fieldText(['a', 'b'], 'lines')).toBe('a\nb');
  });

  it('sets and removes a field without touching the original', () => {
    const config = { a: 1, b: 2 };
    expect(withField(config, 'a', undefined)).toEqual({ b: 2 });
    expect(withField(config, 'c', 3)).toEqual({ a: 1, b: 2, c: 3 });
    expect(config).toEqual({ a: 1, b: 2 });
  });

  it('groups a node problems by field under config', () => {
    const problems = [
      { node: 'n', field: 'config.input.text', message: 'not mapped' },
      { node: 'n', message: 'unreachable' },
      { node: 'other', field: 'config.cron', message: 'bad cron' },
    ];
    expect(problemsByField(problems, 'n')).toEqual({
      byField: { 'input.text': ['not mapped'] },
      general: ['unreachable'],
    });
  });
});
