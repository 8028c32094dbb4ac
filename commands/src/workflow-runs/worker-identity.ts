import { randomBytes } from 'node:crypto';

/**
 * Who holds a run's lease: `<worker id>/<incarnation>`. The incarnation is new at every start, so a worker
 * that restarts under the same id knows the leases of its earlier incarnations are dead and takes them at
 * once instead of waiting for them to expire. On the embedded database only one process can run, so every
 * lease but this process's own is dead.
 */
export interface WorkerIdentity {
  holder: string;
  /** Passed to the run index: a prefix of dead holders, `*` for every other holder, or none. */
  deadHolders: string | undefined;
  isDead(holder: string): boolean;
}

const WORKER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function workerIdentity(options: {
  workerId?: string | undefined;
  singleProcess: boolean;
}): WorkerIdentity {
  if (options.workerId !== undefined && !WORKER_ID.test(options.workerId))
    throw new Error('a worker id is 1-100 letters, digits, ".", "_" or "-"');
  const incarnation = randomBytes(6).toString('hex');
  const id =
    options.workerId ?? (options.singleProcess ? 'embedded' : `worker-${randomBytes(6).toString('hex')}`);
  const holder = `${id}/${incarnation}`;
  const deadHolders = options.singleProcess ? '*' : options.workerId ? `${options.workerId}/` : undefined;
  return {
    holder,
    deadHolders,
    isDead: (other) =>
      other !== holder &&
      (deadHolders === '*' || (deadHolders !== undefined && other.startsWith(deadHolders))),
  };
}
