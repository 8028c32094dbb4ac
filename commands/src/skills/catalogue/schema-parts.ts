import type { JsonSchema } from '../skill.js';

/** Short builders for the skills' schemas; every output field is required, as strict JSON modes want. */

export const text = (description: string, maxLength = 2_000): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength,
  description,
});

export const choice = (values: readonly string[], description: string): JsonSchema => ({
  type: 'string',
  enum: [...values],
  description,
});

export const list = (
  items: JsonSchema,
  description: string,
  bounds: { min?: number; max?: number } = {},
): JsonSchema => ({
  type: 'array',
  items,
  minItems: bounds.min ?? 0,
  maxItems: bounds.max ?? 20,
  description,
});

/** A list of distinct values from a closed set. */
export const choices = (
  values: readonly string[],
  description: string,
  bounds: { min?: number; max?: number } = {},
): JsonSchema => ({ ...list(choice(values, description), description, bounds), uniqueItems: true });

export const integer = (minimum: number, maximum: number, description: string): JsonSchema => ({
  type: 'integer',
  minimum,
  maximum,
  description,
});

export const number = (description: string, bounds: { min?: number; max?: number } = {}): JsonSchema => ({
  type: 'number',
  ...(bounds.min !== undefined ? { minimum: bounds.min } : {}),
  ...(bounds.max !== undefined ? { maximum: bounds.max } : {}),
  description,
});

export const flag = (description: string): JsonSchema => ({ type: 'boolean', description });

/** An object whose fields are all required except `optional` ones; no other fields allowed. */
export const object = (
  properties: Record<string, JsonSchema>,
  optional: readonly string[] = [],
): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

/** A 0–1 confidence the model gives its own answer, so reviewers know where to look first. */
export const confidence = number('How sure the answer is, from 0 (a guess) to 1 (certain)', {
  min: 0,
  max: 1,
});
