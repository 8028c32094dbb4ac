import { controlCatalogue } from '@proofpane/core';
import type { JsonSchema } from '../skill.js';

/** Every control uid of the catalogue: what an input naming a control is checked against. */
export const ALL_CONTROL_UIDS: readonly string[] = controlCatalogue.frameworks.flatMap((f) =>
  f.controls.map((c) => c.uid),
);

/**
 * The curated controls for governing LLM calls and agent tool use: the closed set a skill's answer may
 * cite, so a model cannot invent an identifier (and the schema stays small enough for JSON modes).
 */
export const CURATED_CONTROL_UIDS: readonly string[] = controlCatalogue.curatedSuggestion.controls.map(
  (c) => c.uid,
);

export const frameworkKeys = ['eu_ai_act', 'iso_42001', 'nist_ai_rmf', 'gdpr', 'soc2'] as const;

export const anyControlUid = (description: string): JsonSchema => ({
  type: 'string',
  enum: [...ALL_CONTROL_UIDS],
  description,
});

export const curatedControlUid = (description: string): JsonSchema => ({
  type: 'string',
  enum: [...CURATED_CONTROL_UIDS],
  description,
});
