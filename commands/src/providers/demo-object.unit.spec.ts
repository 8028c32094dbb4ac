import { describe, expect, it } from 'vitest';
import { demoObject } from './demo-object.js';
import { createProviderRegistry } from './registry.js';

const schema = {
  type: 'object',
  properties: {
    headline: { type: 'string', maxLength: 40 },
    long: { type: 'string', minLength: 200 },
    tier: { type: 'string', enum: ['prohibited', 'high', 'limited', 'minimal'] },
    areas: { type: 'array', items: { type: 'string', enum: ['biometrics', 'employment', 'needs_review'] } },
    none: { type: 'array', items: { type: 'string', enum: ['alpha', 'beta'] } },
    score: { type: 'integer', minimum: 1, maximum: 5 },
    open: { type: 'number', exclusiveMinimum: 0 },
    flag: { type: 'boolean' },
    code: { type: 'string', pattern: '^[0-9]+$' },
    when: { type: 'string', format: 'date' },
    list: { type: 'array', minItems: 2, items: { type: 'object', properties: { n: { type: 'string' } } } },
    either: { anyOf: [{ type: 'null' }, { type: 'string', const: 'x' }] },
  },
};

describe('the demo answer to a JSON Schema request', () => {
  const texts = [
    'Input (JSON):\n{"system":"Applicant ranker","note":"a high risk employment use; needs review"}',
  ];
  const answer = demoObject({ schema, texts }) as Record<string, unknown>;

  it('meets the schema: lengths, enums, ranges, patterns, formats, list sizes, branches', () => {
    expect((answer.headline as string).length).toBeLessThanOrEqual(40);
    expect((answer.long as string).length).toBeGreaterThanOrEqual(200);
    expect(answer.score).toBe(3);
    expect(answer.open).toBeGreaterThan(0);
    expect(answer.flag).toBe(false);
    expect(answer.code).toMatch(/^[0-9]+$/);
    expect(answer.when).toBe('2026-01-01');
    expect(answer.list).toHaveLength(2);
    expect(answer.either).toBe('x');
  });

  it('labels free text as demo and quotes the input’s strings', () => {
    expect(answer.headline).toMatch(/^\[demo\] headline: Applicant/);
    expect(answer.long).toMatch(/^\[demo\] long: Applicant ranker a high risk employment use/);
  });

  it('takes the enum values the input names, else the first (or none for a list)', () => {
    expect(answer.tier).toBe('high');
    expect(answer.areas).toEqual(['employment', 'needs_review']);
    expect(answer.none).toEqual([]);
    expect((demoObject({ schema, texts: ['nothing relevant'] }) as Record<string, unknown>).tier).toBe(
      'prohibited',
    );
  });

  it('answers the same schema and text the same way', () => {
    expect(demoObject({ schema, texts })).toEqual(answer);
  });
});

describe('the demo provider', () => {
  const request = {
    provider: 'demo' as const,
    model: 'demo',
    messages: [{ role: 'user' as const, content: 'hello' }],
    responseFormat: {
      type: 'json-schema' as const,
      schema: { type: 'object', properties: { a: { type: 'string' } } },
    },
  };

  it('answers JSON Schema requests with JSON the schema accepts', async () => {
    const result = await createProviderRegistry({ config: {} }).complete(request);
    expect(JSON.parse(result.text)).toEqual({ a: '[demo] a: hello' });
  });

  it('waits its latency and stops when the caller aborts', async () => {
    const registry = createProviderRegistry({ config: {}, demoLatencyMs: 60_000 });
    const controller = new AbortController();
    const pending = registry.complete(request, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const aborted = AbortSignal.abort();
    await expect(
      createProviderRegistry({ config: {} }).complete(request, { signal: aborted }),
    ).rejects.toThrow();
  });
});
