import { createHash } from 'node:crypto';
import type { Fact } from '../kit/fact.js';

export const PU_ITEM_FACT_TYPES = [
  'cp.pu.item.discovered',
  'cp.pu.item.triaged',
  'cp.pu.item.triage.failed',
  'cp.pu.item.promotion.requested',
  'cp.pu.item.promotion.denied',
  'cp.pu.item.promoted',
  'cp.pu.item.archived',
] as const;
export type PuItemFact = Fact<(typeof PU_ITEM_FACT_TYPES)[number]>;

/** An item's id from what names it at its source: the same release or paper is one item, whenever seen. */
export const puItemId = (source: string, sourceId: string) =>
  `pu_${createHash('sha256').update(`${source}\n${sourceId}`).digest('hex').slice(0, 24)}`;
export const puItemSubject = (itemId: string) => `pu-item/${itemId}`;
export const puSourceSubject = (source: string) => `pu-source/${source}`;
export const PU_SETTINGS_SUBJECT = 'pu-settings/org';
export const puBudgetSubject = (month: string) => `pu-budget/${month}`;
