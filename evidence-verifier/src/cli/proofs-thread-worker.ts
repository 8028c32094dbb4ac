import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { toHex } from '../chain/hex.js';
import { TreeClaims } from '../chain/tree-claims.js';
import { entryChunks } from '../pack/inflate.js';
import type { ParallelProofsResult } from '../pack/parallel-proofs.js';
import { ProofsParser } from '../pack/proofs-parser.js';
import { BytesSource, type PackSource } from '../pack/source.js';
import { FileSource } from './file-source.js';
import { nodeInflate } from './node-inflate.js';
import type { ProofsWorkerData } from './proofs-thread.js';

// The worker side of `proofsThread`: inflates, hashes and parses proofs.json, holding every path
// to the tree over the event hashes that the main thread posts as it reads events.jsonl.

const input = workerData as ProofsWorkerData;
// The descriptor belongs to the main thread, which closes it: this side only reads through it.
const source: PackSource =
  'fd' in input.from ? new FileSource(input.from.fd, input.from.size) : new BytesSource(input.from.bytes);
const port = parentPort!;
const size = input.checkpointSize;
const claims = new TreeClaims(size);
const seen = new Uint8Array(size);
let covered = 0;
let holds = true;
let leavesIn = false;
let sha256: string | undefined;
let answered = false;

port.on('message', (message: { hashes?: ArrayBuffer; end?: true }) => {
  if (message.hashes) {
    const hashes = new Uint8Array(message.hashes);
    for (let at = 0; at + 32 <= hashes.length; at += 32) claims.addLeaf(hashes, at);
  }
  if (message.end) {
    leavesIn = true;
    answer();
  }
});

function answer(): void {
  if (!holds) {
    post({ sha256: '', allHold: false });
    return;
  }
  if (sha256 === undefined || !leavesIn) return;
  post({ sha256, allHold: covered === size && claims.finish(input.root) });
}

function post(result: ParallelProofsResult): void {
  if (answered) return;
  answered = true;
  port.postMessage(result);
  port.close();
}

const parser = new ProofsParser((seq, path, n) => {
  if (!holds) return;
  if (seq < 1 || seq > size || seen[seq - 1]) {
    holds = false;
    return;
  }
  seen[seq - 1] = 1;
  covered++;
  claims.claimPath(seq - 1, path, n);
});

try {
  const hash = createHash('sha256');
  for await (const chunk of entryChunks(source, input.entry, nodeInflate, input.limit, input.ratio)) {
    hash.update(chunk);
    parser.push(chunk);
    // Anything amiss is left to the main thread, which names it: stop spending CPU here.
    if (parser.error !== undefined || !claims.consistent) holds = false;
    if (!holds) break;
  }
  parser.finish();
  if (parser.error !== undefined) holds = false;
  sha256 = toHex(hash.digest());
} catch {
  holds = false;
}
answer();
