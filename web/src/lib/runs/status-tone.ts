import type { RunStatus } from '@proofpane/api';

/** The badge colour of a run's status: done is good, running is pending, anything else went wrong. */
export const statusTone = (status: RunStatus) =>
  status === 'succeeded' ? 'ok' : status === 'running' ? 'warn' : 'bad';
