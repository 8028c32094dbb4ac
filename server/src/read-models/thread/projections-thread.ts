import type { Worker } from 'node:worker_threads';
import {
  type AppliedNotice,
  defaultProjections,
  migrateReadModels,
  type ProjectionsHandle,
  projectionStatus,
  untilProjected,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';
import type { FromProjections, RunnerState, ToProjections } from './messages.js';
import { startProjectionsWorker } from './start-worker.js';

export interface ProjectionsThreadOptions {
  databaseUrl: string;
  /** The server's own pool: status and catch-up waits read the checkpoints here. */
  db: Kysely<unknown>;
  /** The server's commits, forwarded so the thread's runners wake at once instead of at their poll. */
  commits?: (listener: (cursor: string, types: ReadonlySet<string>) => void) => () => void;
  /**
   * How often the thread's readers look for commits they were not told of: commits of a process that
   * does not share the bus (a CLI command), or a notice lost while the bus reconnects. 2 s when
   * `commits` forwards this process's commits, which wake them at once; else 250 ms. Each look is one
   * query per projection, so at idle this sets what the read side costs.
   */
  pollMs?: number;
  /** Connections of the thread's own pool (4). */
  poolSize?: number;
  /** First wait before a crashed thread is started again, doubled up to 30 s (1 s). */
  restartMs?: number;
  log: {
    error(details: object, message: string): void;
    info(details: object, message: string): void;
  };
  /** Called with each thread as it starts (specs watch it exit). */
  onWorker?: (worker: Worker) => void;
}

const MAX_RESTART_MS = 30_000;
const FORWARDED_POLL_MS = 2_000;
const UNTOLD_POLL_MS = 250;
/** How long a stopping thread may take to close its pool before it is terminated. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs the projections in a worker thread and offers the server's thread the same handle the
 * in-process runners give: status and catch-up read the checkpoints through the server's pool,
 * runner states and applied batches arrive as messages. The handle is returned at once, before the
 * thread has loaded and opened its pool: a busy machine's slow start (or a long rebuild) must not
 * hold the server's start past Fastify's ready timeout. Until then `status` says `starting`. A
 * thread that dies, the first one included, is logged and started again.
 */
export async function startProjectionsThread(options: ProjectionsThreadOptions): Promise<ProjectionsHandle> {
  // The tables first, here: status and catch-up read the checkpoints before the thread is up.
  await migrateReadModels({ db: options.db });
  const projections = defaultProjections;
  const listeners = new Set<(applied: AppliedNotice) => void>();
  const asked = new Map<number, (states: RunnerState[]) => void>();
  let asks = 0;
  let worker: Worker | null = null;
  let ready = false;
  let stopping = false;
  let restartMs = options.restartMs ?? 1_000;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped: (() => void) | undefined;

  const send = (message: ToProjections) => {
    if (worker && ready) worker.postMessage(message);
  };
  const unlistenCommits = options.commits?.((cursor, types) =>
    send({ kind: 'committed', cursor, types: [...types] }),
  );

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const thread = startProjectionsWorker({
        databaseUrl: options.databaseUrl,
        poolSize: options.poolSize ?? 4,
        pollMs: options.pollMs ?? (options.commits ? FORWARDED_POLL_MS : UNTOLD_POLL_MS),
      });
      worker = thread;
      options.onWorker?.(thread);
      let failure: Error | undefined;
      thread.on('message', (message: FromProjections) => {
        if (message.kind === 'ready') {
          ready = true;
          restartMs = options.restartMs ?? 1_000;
          resolve();
        } else if (message.kind === 'applied') {
          for (const listener of listeners) listener(message.applied);
        } else if (message.kind === 'states') {
          asked.get(message.id)?.(message.states);
          asked.delete(message.id);
        } else if (message.kind === 'error') {
          options.log.error({ projection: message.projection, err: message }, 'projection batch failed');
        }
      });
      thread.on('error', (error) => {
        failure = error;
        options.log.error({ err: error }, 'projections thread failed');
      });
      thread.on('exit', (code) => {
        worker = null;
        ready = false;
        for (const answer of asked.values()) answer([]);
        asked.clear();
        if (stopping) {
          stopped?.();
          return;
        }
        reject(failure ?? new Error(`projections thread exited with code ${code}`));
        options.log.error({ code, restartInMs: restartMs }, 'projections thread ended; starting it again');
        const wait = restartMs;
        restartMs = Math.min(restartMs * 2, MAX_RESTART_MS);
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (!stopping) spawn().catch(() => {});
        }, wait);
      });
    });

  // Not awaited: a failed start is retried like a crash (see `exit` above).
  spawn().catch(() => {});

  const states = () =>
    new Promise<RunnerState[]>((resolve) => {
      if (!worker || !ready) return resolve([]);
      asks += 1;
      asked.set(asks, resolve);
      worker.postMessage({ kind: 'states', id: asks } satisfies ToProjections);
    });

  return {
    projections,
    async status(o = {}) {
      const [base, running] = await Promise.all([
        projectionStatus({ db: options.db, projections, org: o.org }),
        states(),
      ]);
      return base.map((s) => {
        const thread = running.find((r) => r.name === s.name);
        return {
          ...s,
          state: thread?.state ?? (stopping ? 'stopped' : 'starting'),
          lastError: thread?.lastError ?? null,
        };
      });
    },
    states: () =>
      projections.map((p) => ({ name: p.name, state: ready ? 'running' : 'starting', lastError: null })),
    async caughtUp() {
      await untilProjected({
        db: options.db,
        projections,
        timeoutMs: Number.POSITIVE_INFINITY,
        pollMs: 50,
        onApplied: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      });
    },
    onApplied(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearTimeout(restartTimer);
      unlistenCommits?.();
      listeners.clear();
      const thread = worker;
      if (!thread) return;
      const exited = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      thread.postMessage({ kind: 'stop' } satisfies ToProjections);
      // A thread that cannot close its pool in time is ended anyway: shutdown must not hang on it.
      const grace = setTimeout(() => void thread.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    },
  };
}
