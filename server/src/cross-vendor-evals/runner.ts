import {
  type CrossVendorRunDeps,
  type CrossVendorSuite,
  type GatewayCaller,
  startCrossVendorRun,
} from '@proofpane/commands';
import type { Actor } from '@proofpane/core';
import type { FastifyBaseLogger } from 'fastify';

export interface CrossVendorStart {
  org: string;
  actor: Actor;
  caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
  suite: CrossVendorSuite;
  runId?: string;
  trigger?: { kind: 'manual' | 'schedule'; ref?: string };
}

/**
 * Starts cross-vendor runs in this process and keeps each in flight until it ends, so the server can
 * stop them on close (their runs end as failed: the stop is recorded, never lost).
 */
export function crossVendorRunner(options: {
  deps: CrossVendorRunDeps;
  log: FastifyBaseLogger;
  concurrency?: number;
}) {
  const inFlight = new Map<string, { stop: AbortController; done: Promise<unknown> }>();
  return {
    async start(request: CrossVendorStart): Promise<{ runId: string; done: Promise<unknown> }> {
      const stop = new AbortController();
      const { runId, done } = await startCrossVendorRun(options.deps, {
        ...request,
        signal: stop.signal,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      });
      const tracked = done
        .catch((err: unknown) => options.log.warn({ err, runId }, 'cross-vendor run'))
        .finally(() => inFlight.delete(runId));
      inFlight.set(runId, { stop, done: tracked });
      return { runId, done: tracked };
    },
    get running(): number {
      return inFlight.size;
    },
    async stop(): Promise<void> {
      for (const run of inFlight.values()) run.stop.abort();
      await Promise.all([...inFlight.values()].map((r) => r.done));
    },
  };
}

export type CrossVendorRunner = ReturnType<typeof crossVendorRunner>;
