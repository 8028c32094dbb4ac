import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ProjectionsThreadData } from './messages.js';

/**
 * From sources (specs, `tsx`) the entry is TypeScript: the thread first registers tsx's loader,
 * which a worker does not inherit; from the build it is plain JavaScript.
 */
export function startProjectionsWorker(workerData: ProjectionsThreadData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(fromSource ? './entry.ts' : './entry.js', import.meta.url);
  if (!fromSource) return new Worker(script, { workerData });
  const tsx = join(
    dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
    'dist/esm/api/index.mjs',
  );
  const code = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}
