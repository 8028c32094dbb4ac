import { z } from 'zod';

export const runKinds = [
  'workflow',
  'remediation',
  'multi-agent',
  'cross-vendor',
  'gateway-session',
  'skill',
  'quality-judge',
  'coder',
  'parallel-universe',
] as const;

/**
 * A run is a subject `run/<id>`. It nests under another run through `meta.parentRunId`
 * on its `cp.run.started`; any event carrying `meta.runId` is attributed to that run
 * (its cost, tokens, status). docs/runs.md is the contract for producers.
 */
export const runEvents = {
  'cp.run.started': z.strictObject({
    kind: z.enum(runKinds),
    name: z.string().min(1).max(200),
    /** The AI use case (`usecase/<id>` of the same org) the run serves, when its starter named one. */
    useCaseId: z.string().min(1).max(200).optional(),
  }),
  'cp.run.completed': z.strictObject({
    status: z.enum(['succeeded', 'failed', 'cancelled']),
    error: z.string().max(500).optional(),
  }),
} as const;
