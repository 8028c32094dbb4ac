import { errorSection } from '../entry.js';

/**
 * Quality checks of model answers (`commands/src/quality`, docs/quality.md): a control-bearing skill
 * whose answer still cites control ids the catalogue does not hold after its one repair.
 */
export const qualityErrors = errorSection('api.md#quality', {
  quality_unknown_control: {
    status: 502,
    title: "The model's answer cited control ids the catalogue does not hold, again after one repair",
  },
});
