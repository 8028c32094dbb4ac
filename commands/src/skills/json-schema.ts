import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module, whose `default` is the plugin.
const addFormats = formatsModule.default;

// Unknown keywords (a typo in a schema) are errors; required fields need not be declared, so eval
// assertions may check a field's presence alone.
const ajv = new Ajv({
  allErrors: true,
  allowUnionTypes: true,
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  logger: false,
});
addFormats(ajv);

/** A JSON Schema (draft-07 keywords) as plain data: what providers receive and ajv compiles. */
export type JsonSchema = { [keyword: string]: unknown };

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** One problem with a value: the JSON Pointer of the failing part ("" for the whole) and why. */
export interface SchemaProblem {
  path: string;
  message: string;
}

const MAX_PROBLEMS = 20;

function problemOf(error: ErrorObject): SchemaProblem {
  const missing =
    error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
  const extra =
    error.keyword === 'additionalProperties'
      ? (error.params as { additionalProperty: string }).additionalProperty
      : undefined;
  if (missing !== undefined) return { path: `${error.instancePath}/${missing}`, message: 'is required' };
  if (extra !== undefined) return { path: `${error.instancePath}/${extra}`, message: 'is not allowed' };
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return {
      path: error.instancePath,
      message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  return { path: error.instancePath, message: error.message ?? 'is invalid' };
}

/**
 * Checks a value against a JSON Schema with ajv (compiled once per schema object). Problems name paths
 * and rules, never the values, so they may go into events and back to a model.
 */
export function validateAgainst(schema: JsonSchema, value: unknown): SchemaProblem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, MAX_PROBLEMS).map(problemOf);
}

/** Compiles a schema, throwing on a keyword ajv does not know: the catalogue spec runs it on every skill. */
export function assertValidSchema(schema: JsonSchema): void {
  ajv.compile(schema);
}

export const describeProblem = (p: SchemaProblem) => `${p.path || '(root)'}: ${p.message}`;
