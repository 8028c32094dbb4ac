import type { FastifyInstance } from 'fastify';

/** A JSON value as a request body holds it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

const PATTERN_CANDIDATES = ['walk', '0'.repeat(64), '12', 'walk@example.test', 'A_B', 'a'];

/**
 * A value the JSON schema accepts, as far as a schema can say (a `pattern` is met from a few candidates).
 * `pick` may supply the value of a named property instead, e.g. another org's ids for a tenancy walk.
 */
export function sampleFromSchema(
  schema: Schema | undefined,
  options: { pick?: (property: string) => Json | undefined } = {},
  depth = 0,
): Json {
  if (!schema || depth > 6) return 'walk';
  if ('const' in schema) return schema.const as Json;
  if (Array.isArray(schema.enum)) return schema.enum[0] as Json;
  if ('default' in schema && schema.default !== undefined && typeof schema.default !== 'object')
    return schema.default as Json;
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const choices = schema[key] as Schema[] | undefined;
    if (choices?.length)
      return sampleFromSchema(choices.find((o) => o.type !== 'null') ?? choices[0], options, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const [name, property] of Object.entries(properties)) {
        out[name] = options.pick?.(name) ?? sampleFromSchema(property, options, depth + 1);
      }
      return out;
    }
    case 'array': {
      const minItems = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: minItems }, () =>
        sampleFromSchema(schema.items as Schema, options, depth + 1),
      );
    }
    case 'integer':
    case 'number': {
      const exclusive = schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 1;
      return Math.max(Number(schema.minimum ?? exclusive), 1);
    }
    case 'boolean':
      return false;
    default:
      return sampleString(schema);
  }
}

function sampleString(schema: Schema): string {
  if (schema.format === 'email') return 'walk@example.test';
  if (schema.format === 'uri') return 'https://example.test/walk';
  if (schema.format === 'date-time') return new Date().toISOString();
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  const min = Number(schema.minLength ?? 1);
  const max = Number(schema.maxLength ?? 10_000);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const fit = PATTERN_CANDIDATES.find((c) => pattern.test(c));
    if (fit) return fit;
  }
  return 'w'.repeat(Math.min(Math.max(min, 4), max));
}

/** The JSON body schema of a route from the app's OpenAPI document, keyed by fastify's own URL form. */
export function bodySchemaOf(app: FastifyInstance, method: string, url: string): Schema | undefined {
  const document = app.swagger() as { paths?: Record<string, Record<string, unknown>> };
  const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const operation = document.paths?.[path]?.[method.toLowerCase()] as
    | { requestBody?: { content?: Record<string, { schema?: Schema }> } }
    | undefined;
  return operation?.requestBody?.content?.['application/json']?.schema;
}
