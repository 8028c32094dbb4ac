import { errorSection } from '../entry.js';

/** A run's lifecycle (`commands/src/runs`, docs/runs.md): started once, completed once. */
export const runErrors = errorSection('api.md#runs', {
  run_exists: { status: 409, title: 'A run with this id already exists' },
  run_not_found: { status: 404, title: 'No run with this id was started' },
  run_finished: { status: 409, title: 'The run has already finished' },
});
