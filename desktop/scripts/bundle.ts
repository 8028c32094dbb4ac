import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = (path: string) => join(root, 'src', path);

/** The renderer page: one browser script plus its HTML and CSS, nothing loaded from the network. */
export async function bundleRenderer(outDir: string): Promise<string> {
  const target = join(outDir, 'renderer');
  await mkdir(target, { recursive: true });
  await build({
    entryPoints: [source('renderer/app.ts')],
    outfile: join(target, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    sourcemap: true,
    logLevel: 'warning',
  });
  await copyFile(source('renderer/index.html'), join(target, 'index.html'));
  await copyFile(source('renderer/styles.css'), join(target, 'styles.css'));
  return join(target, 'index.html');
}

/** Main process (ESM), sandboxed preload (CommonJS, as sandboxed preloads must be) and renderer. */
export async function bundleAll(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  const node: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
  };
  await build({
    ...node,
    entryPoints: [source('main/main.ts')],
    outfile: join(outDir, 'main', 'main.js'),
    format: 'esm',
    logLevel: 'warning',
  });
  await build({
    ...node,
    entryPoints: [source('preload/preload.ts')],
    outfile: join(outDir, 'preload', 'preload.cjs'),
    format: 'cjs',
    logLevel: 'warning',
  });
  await bundleRenderer(outDir);
}
