import { ANNEX_III_AREA_UIDS, USE_CASE_MATERIAL_FIELDS } from '@proofpane/core';
import { UseCaseError } from './errors.js';
import type { UseCaseIntake } from './facts.js';

/** The rules that span fields: `none` stands alone; an Annex III area exactly when the tier is high. */
export function checkIntake(fields: UseCaseIntake): void {
  const { dataCategories, riskTier, annexIIIArea } = fields;
  if (dataCategories.includes('none') && dataCategories.length > 1)
    throw new UseCaseError(
      'usecase_invalid',
      'dataCategories: "none" cannot be combined with other categories',
    );
  if (new Set(dataCategories).size !== dataCategories.length)
    throw new UseCaseError('usecase_invalid', 'dataCategories: name each category once');
  if (annexIIIArea !== null) checkAnnexArea(annexIIIArea);
  if (riskTier === 'high' && annexIIIArea === null)
    throw new UseCaseError('usecase_invalid', 'annexIIIArea: a high-risk case names its Annex III area');
  if (riskTier !== 'high' && annexIIIArea !== null)
    throw new UseCaseError(
      'usecase_invalid',
      'annexIIIArea: only a high-risk case names an Annex III area; clear it or set riskTier to "high"',
    );
}

export function checkAnnexArea(uid: string): void {
  if (!ANNEX_III_AREA_UIDS.includes(uid))
    throw new UseCaseError(
      'usecase_invalid',
      `annexIIIArea: "${uid}" is not an Annex III area; use one of ${ANNEX_III_AREA_UIDS.join(', ')}`,
    );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields whose value `values` really changes, in intake order. */
export function changedFields(
  current: UseCaseIntake,
  values: Partial<UseCaseIntake>,
): (keyof UseCaseIntake)[] {
  return (Object.keys(current) as (keyof UseCaseIntake)[]).filter(
    (k) => values[k] !== undefined && !same(values[k], current[k]),
  );
}

export const isMaterial = (changed: readonly string[]) =>
  changed.some((f) => (USE_CASE_MATERIAL_FIELDS as readonly string[]).includes(f));
