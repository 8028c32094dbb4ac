import { errorSection } from '../entry.js';

/**
 * Cross-vendor evaluation (`commands/src/cross-vendor-evals`, docs/cross-vendor-evals.md): a suite the
 * server refuses before recording it (a bad decision-field path, an output schema ajv cannot compile, an
 * unknown skill or provider, a cron expression croner rejects), and suites or runs the org does not have.
 */
export const crossVendorErrors = errorSection('api.md#cross-vendor-evals', {
  cross_vendor_suite_invalid: { status: 400, title: 'The cross-vendor suite cannot be run as written' },
  cross_vendor_suite_not_found: { status: 404, title: 'No cross-vendor suite with this id' },
  cross_vendor_run_not_found: { status: 404, title: 'No cross-vendor run with this id' },
});
