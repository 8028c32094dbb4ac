import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocumentType } from '@proofpane/api';
import type { DocumentErrorCode } from '@proofpane/core';
import type { Block } from './blocks.js';
import { DocumentError } from './errors.js';
import type { ExtractLimits } from './limits.js';

/** Heap of one extraction thread: room for a 10 MB file's parse, far below the server's own. */
const HEAP_MB = 256;
/** Extractions at once in this process; more wait their turn. */
const CONCURRENCY = 2;

let running = 0;
const waiting: (() => void)[] = [];
async function turn(): Promise<() => void> {
  if (running >= CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

/**
 * From sources (specs, `tsx`) the worker is TypeScript: it starts by registering tsx's loader, which a
 * worker does not inherit; from the build it is plain JavaScript.
 */
function startWorker(workerData: unknown, resourceLimits: { maxOldGenerationSizeMb: number }): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(fromSource ? './extract-worker.ts' : './extract-worker.js', import.meta.url);
  if (!fromSource) return new Worker(script, { workerData, resourceLimits });
  const tsx = join(
    dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
    'dist/esm/api/index.mjs',
  );
  const code = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}

/**
 * An upload's text as blocks, extracted in a worker thread with a bounded heap and killed at the time
 * limit, so a PDF whose streams inflate without end or a parse that never yields costs this process
 * neither its memory nor its event loop: it answers `document_rejected` instead.
 */
export async function extractDocument(options: {
  bytes: Uint8Array;
  type: DocumentType;
  limits: ExtractLimits;
}): Promise<Block[]> {
  const release = await turn();
  try {
    return await new Promise<Block[]>((resolve, reject) => {
      const worker = startWorker(
        { bytes: options.bytes, type: options.type, limits: options.limits },
        { maxOldGenerationSizeMb: HEAP_MB },
      );
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        fn();
      };
      // The worker checks the clock between steps itself; this catches a step that never returns.
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new DocumentError('document_rejected', `parsing took longer than ${options.limits.timeMs} ms`),
            ),
          ),
        options.limits.timeMs + 2_000,
      );
      worker.on(
        'message',
        (message: { ok: true; blocks: Block[] } | { ok: false; code: DocumentErrorCode; message: string }) =>
          settle(() =>
            message.ok ? resolve(message.blocks) : reject(new DocumentError(message.code, message.message)),
          ),
      );
      worker.on('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new DocumentError('document_rejected', 'parsing needed more memory than a document may use')
              : new DocumentError('document_unreadable', 'the file could not be parsed'),
          ),
        ),
      );
      worker.on('exit', () =>
        settle(() => reject(new DocumentError('document_unreadable', 'the file could not be parsed'))),
      );
    });
  } finally {
    release();
  }
}
