import { z } from 'zod';
import { DLP_ACTIONS, DLP_ENTITY_TYPES } from './vocabulary.js';

export { DLP_ACTIONS, DLP_ENTITY_TYPES };

export const dlpEntityType = z.enum(DLP_ENTITY_TYPES);
export type DlpEntityType = z.infer<typeof dlpEntityType>;

export const dlpAction = z.enum(DLP_ACTIONS);
export type DlpAction = z.infer<typeof dlpAction>;

/** Findings per entity type: counts only, never the values. */
export const dlpSummary = z.partialRecord(dlpEntityType, z.number().int().nonnegative());
export type DlpSummary = z.infer<typeof dlpSummary>;
