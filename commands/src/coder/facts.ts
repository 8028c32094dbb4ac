import type { Fact } from '../kit/fact.js';

export const CODER_FACT_TYPES = [
  'cp.coder.session.created',
  'cp.coder.session.started',
  'cp.coder.iteration.recorded',
  'cp.coder.session.finished',
  'cp.coder.session.applied',
  'cp.coder.session.discarded',
] as const;

export type CoderFact = Fact<(typeof CODER_FACT_TYPES)[number]>;

/** A session's subject: every fact of one session, in order. */
export const coderSubject = (sessionId: string) => `coder/${sessionId}`;

/** The disposable branch a repo session works on; the user's own branches are never touched. */
export const coderBranch = (sessionId: string) => `proofpane/coder/${sessionId}`;
