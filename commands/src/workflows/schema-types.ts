import type { PathSegment } from './mapping.js';
import type { JsonSchema } from './node-outputs.js';

/**
 * Just enough JSON Schema to compare a producer's output with a consumer's input: the `type` a schema
 * (or each branch of its `anyOf`/`oneOf`, or its `enum`/`const`) allows, and the schema at a path.
 * Anything this reading cannot tell (a `$ref`, no `type`) counts as any type, so it never refuses.
 */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

const JSON_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

const isSchema = (value: unknown): value is JsonSchema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function typeOfValue(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** The types a schema allows, or `undefined` for any. */
export function typesOf(schema: JsonSchema | undefined): ReadonlySet<JsonType> | undefined {
  if (!schema) return undefined;
  const declared = schema.type;
  if (typeof declared === 'string' && JSON_TYPES.includes(declared)) return new Set([declared as JsonType]);
  if (Array.isArray(declared) && declared.every((t) => JSON_TYPES.includes(t)))
    return new Set(declared as JsonType[]);
  if ('const' in schema) return new Set([typeOfValue(schema.const)]);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return new Set(schema.enum.map(typeOfValue));
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    const union = new Set<JsonType>();
    for (const branch of branches) {
      const types = isSchema(branch) ? typesOf(branch) : undefined;
      if (!types) return undefined;
      for (const t of types) union.add(t);
    }
    return union;
  }
  return undefined;
}

/** Whether a value of one of `produced` can be one of `expected`; an integer is a number. */
export function typesAgree(produced: ReadonlySet<JsonType>, expected: ReadonlySet<JsonType>): boolean {
  for (const t of produced) {
    if (expected.has(t)) return true;
    if (t === 'integer' && expected.has('number')) return true;
    if (t === 'number' && expected.has('integer')) return true;
  }
  return false;
}

export type SchemaStep =
  | { found: true; schema: JsonSchema | undefined }
  /** The schema closes its object over its `properties` and the key is not one of them. */
  | { found: false; reason: string };

/**
 * The schema one step down: a declared property, `additionalProperties` when it is a schema, an array's
 * `items` or `prefixItems`. A key a schema with `properties` does not declare is absent unless the
 * schema opens itself with `additionalProperties`; a structured output holds what it declares.
 */
export function schemaStep(schema: JsonSchema | undefined, segment: PathSegment): SchemaStep {
  if (!schema) return { found: true, schema: undefined };
  const types = typesOf(schema);
  const container = typeof segment === 'number' ? 'array' : 'object';
  if (types && !types.has(container))
    return { found: false, reason: `is ${describeTypes(types)}, not an ${container}` };
  if (typeof segment === 'number') {
    const prefix = schema.prefixItems;
    if (Array.isArray(prefix) && segment < prefix.length && isSchema(prefix[segment]))
      return { found: true, schema: prefix[segment] };
    return { found: true, schema: isSchema(schema.items) ? schema.items : undefined };
  }
  const properties = schema.properties;
  if (isSchema(properties)) {
    if (Object.hasOwn(properties, segment)) {
      const property = properties[segment];
      return { found: true, schema: isSchema(property) ? property : undefined };
    }
    const extra = schema.additionalProperties;
    if (isSchema(extra)) return { found: true, schema: extra };
    if (extra === true) return { found: true, schema: undefined };
    return { found: false, reason: `declares no field "${segment}"` };
  }
  const extra = schema.additionalProperties;
  return { found: true, schema: isSchema(extra) ? extra : undefined };
}

/** The schema at a path, or where the path leaves what the schema declares. */
export function schemaAt(
  schema: JsonSchema | undefined,
  path: readonly PathSegment[],
): { found: true; schema: JsonSchema | undefined } | { found: false; reason: string; depth: number } {
  let current = schema;
  for (const [depth, segment] of path.entries()) {
    const next = schemaStep(current, segment);
    if (!next.found) return { found: false, reason: next.reason, depth };
    current = next.schema;
  }
  return { found: true, schema: current };
}

export const describeTypes = (types: ReadonlySet<JsonType>) => [...types].sort().join(' or ');
