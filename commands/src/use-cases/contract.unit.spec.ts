import * as api from '@proofpane/api';
import * as core from '@proofpane/core';
import { describe, expect, it } from 'vitest';

describe('the use-case contract and the event catalogue', () => {
  it('share every closed list', () => {
    expect(api.USE_CASE_STATUSES).toEqual(core.USE_CASE_STATUSES);
    expect(api.USE_CASE_TIERS).toEqual(core.USE_CASE_TIERS);
    expect(api.USE_CASE_DATA_CATEGORIES).toEqual(core.USE_CASE_DATA_CATEGORIES);
    expect(api.USE_CASE_AUTONOMY_LEVELS).toEqual(core.USE_CASE_AUTONOMY_LEVELS);
    expect(api.USE_CASE_DEPLOYMENT_CONTEXTS).toEqual(core.USE_CASE_DEPLOYMENT_CONTEXTS);
  });

  it("offer the control catalogue's Annex III areas, with its titles", () => {
    expect(api.ANNEX_III_AREAS.map((a) => a.uid)).toEqual(core.ANNEX_III_AREA_UIDS);
    for (const area of api.ANNEX_III_AREAS) expect(core.controlByUid(area.uid)?.title).toBe(area.title);
  });
});
