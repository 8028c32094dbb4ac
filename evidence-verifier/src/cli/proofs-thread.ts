import { Worker } from 'node:worker_threads';
import type { ParallelProofs, ParallelProofsResult } from '../pack/parallel-proofs.js';

/** Below this size proofs.json is checked faster in place than a thread starts. */
const MIN_PROOFS_BYTES = 8 * 1024 * 1024;

/**
 * Checks a whole-chain pack's proofs on a worker thread (see ParallelProofs). Declines small
 * proofs files, and answers undefined if the thread cannot start or fails, so the verifier falls
 * back to checking the proofs itself. The thread stays referenced while the verifier waits for
 * it; the verifier always ends it with `cancel`.
 */
export function proofsThread(options: { minBytes?: number } = {}): ParallelProofs {
  const minBytes = options.minBytes ?? MIN_PROOFS_BYTES;
  return (input) => {
    if (input.entry.size < minBytes) return undefined;
    let worker: Worker;
    try {
      // Shared memory is read where it lies; anything else is copied (Buffer#slice would share
      // memory) so the transfer leaves the archive intact.
      const shared = input.data.buffer instanceof SharedArrayBuffer;
      const data = shared ? input.data : new Uint8Array(input.data);
      worker = new Worker(workerEntry(), {
        eval: true,
        workerData: { ...input, data },
        transferList: shared ? [] : [data.buffer as ArrayBuffer],
      });
    } catch {
      return undefined;
    }
    const result = new Promise<ParallelProofsResult | undefined>((resolve) => {
      worker.once('message', resolve);
      worker.once('error', () => resolve(undefined));
      worker.once('exit', () => resolve(undefined));
    });
    return {
      addLeaves(hashes) {
        const copy = new Uint8Array(hashes);
        worker.postMessage({ hashes: copy.buffer }, [copy.buffer]);
      },
      result() {
        worker.postMessage({ end: true });
        return result;
      },
      cancel() {
        void worker.terminate();
      },
    };
  };
}

/**
 * A script that loads the worker module. Run from TypeScript sources (tests, benchmarks), it
 * first registers tsx in the new thread, whose module loader does not inherit the hooks.
 */
function workerEntry(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./proofs-thread-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const load = `import(${JSON.stringify(url)})`;
  if (!fromSource) return load;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return ${load}; })`;
}
