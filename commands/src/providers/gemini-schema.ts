/**
 * Keywords that reach Gemini: the documented `Schema` subset of the v1beta API (an OpenAPI 3.0 subset)
 * intersected with what the AI SDK's Google provider forwards. `$ref`/`$defs`/`definitions` stay: the
 * provider inlines them before sending.
 */
const KEPT = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'const',
  'properties',
  'required',
  'items',
  'anyOf',
  'minLength',
  '$ref',
  '$defs',
  'definitions',
]);
// Keywords whose value is a map of sub-schemas, or a list of them.
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions']);
const SCHEMA_LISTS = new Set(['anyOf']);

export interface SanitisedSchema {
  schema: Record<string, unknown>;
  /** Each removed keyword once, sorted (`additionalProperties`, `default`, …): what the call event records. */
  removedKeywords: string[];
  /** Where each removal happened (`properties.city.pattern`), for debugging a tool that misbehaves. */
  removedPaths: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function clean(node: unknown, path: string, removed: string[]): unknown {
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    const here = path ? `${path}.${key}` : key;
    if (key === 'oneOf' && Array.isArray(value) && node.anyOf === undefined) {
      // Gemini has no oneOf; anyOf accepts every value oneOf does.
      out.anyOf = value.map((v, i) => clean(v, `${here}.${i}`, removed));
      removed.push(here);
      continue;
    }
    if (!KEPT.has(key)) {
      removed.push(here);
      continue;
    }
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, clean(v, `${here}.${k}`, removed)]),
      );
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v, i) => clean(v, `${here}.${i}`, removed));
    } else if (key === 'items') {
      out[key] = Array.isArray(value)
        ? value.map((v, i) => clean(v, `${here}.${i}`, removed))
        : clean(value, here, removed);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Rewrites a tool's JSON Schema into the subset Gemini accepts, and says what was dropped. */
export function sanitiseGeminiSchema(options: { schema: Record<string, unknown> }): SanitisedSchema {
  const removedPaths: string[] = [];
  const schema = clean(options.schema, '', removedPaths) as Json;
  const removedKeywords = [...new Set(removedPaths.map((p) => p.slice(p.lastIndexOf('.') + 1)))].sort();
  return { schema, removedKeywords, removedPaths };
}
