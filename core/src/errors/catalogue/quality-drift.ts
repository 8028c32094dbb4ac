import { errorSection } from '../entry.js';

/** Drift alerts of skills' quality signals (`commands/src/quality-drift`, docs/quality-drift.md). */
export const qualityDriftErrors = errorSection('api.md#quality-drift', {
  quality_alert_not_found: { status: 404, title: 'No drift alert with this id in the org' },
  quality_alert_recovered: {
    status: 409,
    title: 'The drift alert has recovered; there is nothing to suppress',
  },
  quality_alert_signal_mismatch: { status: 409, title: 'The drift alert is about the other signal' },
});
