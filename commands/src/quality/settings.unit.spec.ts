import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { L4_DEFAULTS, qualitySettingsDecider } from './settings.js';

const spec = deciderSpec(qualitySettingsDecider);
const on = { l3: { governedAnswers: true } };
const off = { l3: { governedAnswers: false } };

describe('the quality settings decider', () => {
  it('records a change of the L3 governed-answers setting, off by default', () => {
    spec
      .given([])
      .when(on)
      .then([{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: true } }]);
    spec
      .given([{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: true } }])
      .when(off)
      .then([{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: false } }]);
  });

  it('records nothing when the setting already has the value', () => {
    spec.given([]).when(off).then([]);
    spec
      .given([{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: true } }])
      .when(on)
      .then([]);
  });

  it('folds to the latest recorded value, off with no history', () => {
    const fold = (values: boolean[]) =>
      values.reduce(
        (state, value) =>
          qualitySettingsDecider.evolve(state, {
            type: 'cp.quality.settings.updated',
            data: { l3GovernedAnswers: value },
          }),
        qualitySettingsDecider.initialState(),
      );
    expect(fold([])).toEqual({ ...off, l4: L4_DEFAULTS });
    expect(fold([true])).toEqual({ ...on, l4: L4_DEFAULTS });
    expect(fold([true, false])).toEqual({ ...off, l4: L4_DEFAULTS });
  });

  it('records the judge settings when they change and keeps them across L3-only changes', () => {
    const l4 = { ...L4_DEFAULTS, threshold: 4, samplingRate: 0.25 };
    spec
      .given([])
      .when({ ...off, l4 })
      .then([{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: false, l4 } }]);
    spec
      .given([{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: false, l4 } }])
      .when({ ...off, l4 })
      .then([]);
    const state = [
      { type: 'cp.quality.settings.updated' as const, data: { l3GovernedAnswers: false, l4 } },
      { type: 'cp.quality.settings.updated' as const, data: { l3GovernedAnswers: true } },
    ].reduce(qualitySettingsDecider.evolve, qualitySettingsDecider.initialState());
    expect(state).toEqual({ l3: { governedAnswers: true }, l4 });
  });
});
