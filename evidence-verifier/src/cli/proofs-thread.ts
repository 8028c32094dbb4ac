import { Worker } from 'node:worker_threads';
import type { ParallelProofs, ParallelProofsInput, ParallelProofsResult } from '../pack/parallel-proofs.js';
import { BytesSource } from '../pack/source.js';
import type { ZipEntry } from '../pack/zip-directory.js';
import { FileSource } from './file-source.js';

/** Where the worker reads proofs.json: the open pack file, or the entry's stored bytes. */
export type ProofsWorkerFrom = { fd: number; size: number } | { bytes: Uint8Array };

export type ProofsWorkerData = Omit<ParallelProofsInput, 'source'> & { from: ProofsWorkerFrom };

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
    const reach = transferable(input);
    if (!reach) return undefined;
    let worker: Worker;
    try {
      const { source: _source, ...rest } = input;
      const workerData: ProofsWorkerData = { ...rest, entry: reach.entry, from: reach.from };
      worker = new Worker(workerEntry(), { eval: true, workerData, transferList: reach.transfer });
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
 * How the worker can reach the entry: a file is shared by descriptor (threads share the process's
 * descriptors) and read by offset there too; bytes in shared memory are read where they lie; other
 * bytes are copied, the entry's only, so the transfer leaves the archive intact. Any other source
 * is declined.
 */
function transferable(
  input: ParallelProofsInput,
): { from: ProofsWorkerFrom; entry: ZipEntry; transfer: ArrayBuffer[] } | undefined {
  const { source, entry } = input;
  if (source instanceof FileSource)
    return { from: { fd: source.fd, size: source.size }, entry, transfer: [] };
  if (!(source instanceof BytesSource)) return undefined;
  const stored = source.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  const inPlace = { ...entry, dataStart: 0 };
  if (stored.buffer instanceof SharedArrayBuffer)
    return { from: { bytes: stored }, entry: inPlace, transfer: [] };
  const bytes = stored.slice();
  return { from: { bytes }, entry: inPlace, transfer: [bytes.buffer as ArrayBuffer] };
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
