import type { AppliedNotice } from '@proofpane/projections';

/** What the server's thread tells the projections thread. */
export type ToProjections =
  | { kind: 'committed'; cursor: string; types: string[] }
  | { kind: 'states'; id: number }
  | { kind: 'stop' };

export interface RunnerState {
  name: string;
  state: 'starting' | 'running' | 'stopped';
  lastError: string | null;
}

/** What the projections thread tells the server's thread. */
export type FromProjections =
  | { kind: 'ready' }
  | { kind: 'applied'; applied: AppliedNotice }
  | { kind: 'states'; id: number; states: RunnerState[] }
  | { kind: 'error'; projection: string; message: string; stack?: string | undefined }
  | { kind: 'stopped' };

export interface ProjectionsThreadData {
  databaseUrl: string;
  poolSize: number;
  /** How often the thread's readers look for commits nobody told them of. */
  pollMs: number;
}

/** The `application_name` of the thread's connections. */
export const PROJECTIONS_APPLICATION_NAME = 'proofpane-projections';
