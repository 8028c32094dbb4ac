import { describe, expect, it } from 'vitest';
import { type FormField, formOf, inputFrom, valuesFrom, WHOLE_INPUT } from './fields';

const schema = {
  type: 'object',
  properties: {
    systemName: { type: 'string', minLength: 1, maxLength: 200, description: 'The AI system' },
    description: { type: 'string', minLength: 1, maxLength: 20_000 },
    role: { type: 'string', enum: ['provider', 'deployer'] },
    usedInEu: { type: 'boolean' },
    affectedUsers: { type: 'integer', minimum: 0 },
    tolerance: { type: 'number', minimum: 0, maximum: 10 },
    knownIssues: { type: 'array', items: { type: 'string' } },
    frameworks: { type: 'array', items: { type: 'string', enum: ['gdpr', 'soc2', 'iso_42001'] } },
    baseline: { type: 'object', properties: { value: { type: 'number' } } },
  },
  required: ['systemName', 'description', 'frameworks'],
  additionalProperties: false,
};

const fieldsOf = (s: Record<string, unknown>): FormField[] => {
  const form = formOf(s);
  if (form.kind !== 'fields') throw new Error('expected fields');
  return form.fields;
};

describe('formOf', () => {
  it('gives each property of an object schema a field of the kind that edits it', () => {
    expect(fieldsOf(schema).map((f) => [f.name, f.kind, f.required])).toEqual([
      ['systemName', 'text', true],
      ['description', 'paragraph', true],
      ['role', 'choice', false],
      ['usedInEu', 'flag', false],
      ['affectedUsers', 'integer', false],
      ['tolerance', 'number', false],
      ['knownIssues', 'lines', false],
      ['frameworks', 'choices', true],
      ['baseline', 'json', false],
    ]);
  });

  it('labels fields from their names, hints from their descriptions, and keeps options and bounds', () => {
    const [name, , role, , users, tolerance, , frameworks] = fieldsOf(schema);
    expect(name).toMatchObject({ label: 'System name', hint: 'The AI system' });
    expect(role?.options).toEqual(['provider', 'deployer']);
    expect(frameworks?.options).toEqual(['gdpr', 'soc2', 'iso_42001']);
    expect(users).toMatchObject({ min: 0 });
    expect(users).not.toHaveProperty('max');
    expect(tolerance).toMatchObject({ min: 0, max: 10 });
  });

  it('puts a string without a length bound in a text area', () => {
    expect(fieldsOf({ type: 'object', properties: { policyText: { type: 'string' } } })[0]?.kind).toBe(
      'paragraph',
    );
  });

  it('falls back to JSON for what a field cannot edit and for schemas that are not objects with properties', () => {
    const odd = fieldsOf({
      type: 'object',
      properties: {
        either: { type: ['string', 'null'] },
        numbers: { type: 'array', items: { type: 'number' } },
        mixed: { type: 'string', enum: ['a', 1] },
        loose: true,
      },
    });
    expect(odd.map((f) => f.kind)).toEqual(['json', 'json', 'paragraph', 'json']);
    expect(formOf({ type: 'array', items: { type: 'string' } })).toEqual({ kind: 'json' });
    expect(formOf({ type: 'object' })).toEqual({ kind: 'json' });
    expect(formOf(undefined)).toEqual({ kind: 'json' });
  });
});

describe('valuesFrom and inputFrom', () => {
  const form = formOf(schema);
  const sample = {
    systemName: 'Claims triage',
    description: 'Ranks incoming claims',
    role: 'deployer',
    usedInEu: false,
    affectedUsers: 1200,
    tolerance: 0.05,
    knownIssues: ['bias in older claims', 'slow'],
    frameworks: ['soc2', 'gdpr'],
    baseline: { value: 0.9 },
  };

  it('fills the form from an input and gives the same input back', () => {
    const values = valuesFrom(form, sample);
    expect(values).toMatchObject({
      usedInEu: 'false',
      affectedUsers: '1200',
      knownIssues: 'bias in older claims\nslow',
      frameworks: ['gdpr', 'soc2'],
      baseline: '{\n  "value": 0.9\n}',
    });
    expect(inputFrom(form, values)).toEqual({
      input: { ...sample, frameworks: ['gdpr', 'soc2'] },
      errors: {},
    });
  });

  it('starts empty without an input, and leaves blank fields out for the server to name', () => {
    const empty = valuesFrom(form);
    expect(empty.systemName).toBe('');
    expect(empty.frameworks).toEqual([]);
    expect(inputFrom(form, empty)).toEqual({ input: {}, errors: {} });
    expect(inputFrom(form, { ...empty, systemName: '   ', knownIssues: '\n  \n' })).toEqual({
      input: {},
      errors: {},
    });
  });

  it('trims list lines and ignores values of the wrong type when filling', () => {
    const values = valuesFrom(form, { systemName: 42, usedInEu: 'yes', knownIssues: 'one' });
    expect(values).toMatchObject({ systemName: '', usedInEu: '', knownIssues: '' });
    expect(inputFrom(form, { ...values, knownIssues: ' a \n\n b ' }).input).toEqual({
      knownIssues: ['a', 'b'],
    });
  });

  it('refuses numbers that are not numbers, fractions for integers and JSON that does not parse', () => {
    const values = { ...valuesFrom(form), affectedUsers: '1.5', tolerance: 'ten', baseline: '{ value: ' };
    const { errors } = inputFrom(form, values);
    expect(errors).toEqual({
      affectedUsers: 'must be a whole number',
      tolerance: 'must be a number',
      baseline: expect.stringMatching(/^is not valid JSON: /),
    });
  });

  it('edits a schema without fields as one JSON value, an empty editor being an empty object', () => {
    const json = formOf({ type: 'object' });
    expect(valuesFrom(json, { a: [1] })).toEqual({ [WHOLE_INPUT]: '{\n  "a": [\n    1\n  ]\n}' });
    expect(valuesFrom(json)).toEqual({ [WHOLE_INPUT]: '{}' });
    expect(inputFrom(json, { [WHOLE_INPUT]: '[1, 2]' })).toEqual({ input: [1, 2], errors: {} });
    expect(inputFrom(json, { [WHOLE_INPUT]: ' ' })).toEqual({ input: {}, errors: {} });
    expect(inputFrom(json, { [WHOLE_INPUT]: '{' }).errors[WHOLE_INPUT]).toMatch(/^is not valid JSON/);
  });
});
