import { z } from 'zod';

/** Stable entity names: policy documents and audit events hold them, so none is ever renamed. */
export const DLP_ENTITY_TYPES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
  'JWT',
  'PRIVATE_KEY',
  'API_SECRET',
] as const;
export const dlpEntityType = z.enum(DLP_ENTITY_TYPES);
export type DlpEntityType = z.infer<typeof dlpEntityType>;

/** What the gate does with a finding of one entity type. */
export const DLP_ACTIONS = ['allow', 'mask', 'block', 'hitl'] as const;
export const dlpAction = z.enum(DLP_ACTIONS);
export type DlpAction = z.infer<typeof dlpAction>;

/** Findings per entity type: counts only, never the values. */
export const dlpSummary = z.partialRecord(dlpEntityType, z.number().int().nonnegative());
export type DlpSummary = z.infer<typeof dlpSummary>;
