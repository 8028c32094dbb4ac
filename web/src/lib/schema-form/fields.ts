import { humanize } from '$lib/values/readable';

export type JsonSchema = { [keyword: string]: unknown };

/**
 * How a field is edited: `text` and `paragraph` strings (short ones on one line), `choice` an enum,
 * `flag` a boolean, `lines` a list of strings one per line, `choices` a list of enum values, and `json`
 * whatever else the schema allows, typed as JSON.
 */
export type FieldKind =
  | 'text'
  | 'paragraph'
  | 'choice'
  | 'number'
  | 'integer'
  | 'flag'
  | 'lines'
  | 'choices'
  | 'json';

export interface FormField {
  name: string;
  label: string;
  /** The schema's description of the field. */
  hint: string;
  required: boolean;
  kind: FieldKind;
  /** The values of a `choice` or `choices` field. */
  options: string[];
  min?: number;
  max?: number;
}

/** A form of fields for an object schema with properties; anything else is edited as one JSON value. */
export type SchemaForm = { kind: 'fields'; fields: FormField[] } | { kind: 'json' };

/** What the form holds while edited: text for every field but `choices`, which holds the ticked values. */
export type FormValues = Record<string, string | string[]>;

/** The key of a whole-input JSON editor's text in `FormValues`, and of its error. */
export const WHOLE_INPUT = 'input';

/** Longer strings get a text area: a one-line input hides most of a description or a policy text. */
const ONE_LINE_MAX = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringOptions = (schema: unknown): string[] | undefined => {
  if (!isRecord(schema) || !Array.isArray(schema.enum)) return undefined;
  return schema.enum.every((v) => typeof v === 'string') ? (schema.enum as string[]) : undefined;
};

function kindOf(schema: Record<string, unknown>): Pick<FormField, 'kind' | 'options'> {
  const options = stringOptions(schema);
  switch (schema.type) {
    case 'string':
      if (options) return { kind: 'choice', options };
      return {
        kind: typeof schema.maxLength === 'number' && schema.maxLength <= ONE_LINE_MAX ? 'text' : 'paragraph',
        options: [],
      };
    case 'number':
    case 'integer':
      return { kind: schema.type, options: [] };
    case 'boolean':
      return { kind: 'flag', options: [] };
    case 'array': {
      const items = schema.items;
      if (!isRecord(items) || items.type !== 'string') break;
      const itemOptions = stringOptions(items);
      return itemOptions ? { kind: 'choices', options: itemOptions } : { kind: 'lines', options: [] };
    }
  }
  return { kind: 'json', options: [] };
}

export function formOf(schema: JsonSchema | undefined): SchemaForm {
  if (schema?.type !== 'object' || !isRecord(schema.properties)) return { kind: 'json' };
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const fields = Object.entries(schema.properties).map(([name, property]): FormField => {
    const field = isRecord(property) ? property : {};
    return {
      name,
      label: humanize(name),
      hint: typeof field.description === 'string' ? field.description : '',
      required: required.has(name),
      ...kindOf(field),
      ...(typeof field.minimum === 'number' ? { min: field.minimum } : {}),
      ...(typeof field.maximum === 'number' ? { max: field.maximum } : {}),
    };
  });
  return { kind: 'fields', fields };
}

function fieldValue(field: FormField, value: unknown): string | string[] {
  switch (field.kind) {
    case 'text':
    case 'paragraph':
    case 'choice':
      return typeof value === 'string' ? value : '';
    case 'number':
    case 'integer':
      return typeof value === 'number' ? String(value) : '';
    case 'flag':
      return typeof value === 'boolean' ? String(value) : '';
    case 'lines':
      return Array.isArray(value) ? value.filter((v) => typeof v === 'string').join('\n') : '';
    case 'choices':
      return Array.isArray(value) ? field.options.filter((o) => value.includes(o)) : [];
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

/** The form's values for an input (a template's sample, an eval case), or empty without one. */
export function valuesFrom(form: SchemaForm, input?: unknown): FormValues {
  if (form.kind === 'json') return { [WHOLE_INPUT]: JSON.stringify(input ?? {}, null, 2) };
  const given = isRecord(input) ? input : {};
  return Object.fromEntries(form.fields.map((f) => [f.name, fieldValue(f, given[f.name])]));
}

type Read = { value: unknown } | { error: string } | undefined;

function parseJson(text: string): Read {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `is not valid JSON: ${(error as Error).message}` };
  }
}

function read(field: FormField, raw: string | string[] | undefined): Read {
  if (Array.isArray(raw)) {
    const ticked = field.options.filter((o) => raw.includes(o));
    return ticked.length > 0 ? { value: ticked } : undefined;
  }
  const text = raw ?? '';
  if (text.trim() === '') return undefined;
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const value = Number(text.trim());
      if (!Number.isFinite(value)) return { error: 'must be a number' };
      if (field.kind === 'integer' && !Number.isInteger(value)) return { error: 'must be a whole number' };
      return { value };
    }
    case 'flag':
      return { value: text === 'true' };
    case 'lines':
      return {
        value: text
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== ''),
      };
    case 'json':
      return parseJson(text);
    default:
      return { value: text };
  }
}

/**
 * The input a form's values make. Blank fields are left out, required or not: the server's schema check
 * names each missing one beside its field. Only what cannot be sent at all (JSON that does not parse, a
 * number that is not one) is refused here.
 */
export function inputFrom(
  form: SchemaForm,
  values: FormValues,
): { input: unknown; errors: Record<string, string> } {
  if (form.kind === 'json') {
    const raw = values[WHOLE_INPUT];
    const text = typeof raw === 'string' && raw.trim() !== '' ? raw : '{}';
    const parsed = parseJson(text);
    return parsed && 'error' in parsed
      ? { input: undefined, errors: { [WHOLE_INPUT]: parsed.error } }
      : { input: parsed?.value, errors: {} };
  }
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of form.fields) {
    const result = read(field, values[field.name]);
    if (!result) continue;
    if ('error' in result) errors[field.name] = result.error;
    else input[field.name] = result.value;
  }
  return { input, errors };
}
