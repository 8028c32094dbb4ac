// Builds the single executable (Node SEA): one CommonJS bundle, a SEA blob, a copy of this node binary
// with the blob injected. The OS keyring module is native and stays outside the bundle, so the single
// executable stores the device token in the 0600 file instead.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(pkg, 'dist', 'sea');
const bundle = join(out, 'proofpane-daemon.cjs');
const blob = join(out, 'sea-prep.blob');
const config = join(out, 'sea-config.json');
const binary = join(out, process.platform === 'win32' ? 'proofpane-daemon.exe' : 'proofpane-daemon');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(pkg, 'src', 'cli.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: bundle,
  external: ['@napi-rs/keyring'],
  // ws probes optional native add-ons at load time; a single executable can only load built-in modules.
  define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
  legalComments: 'none',
  logLevel: 'warning',
});

writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
if (process.platform === 'darwin')
  execFileSync('codesign', ['--remove-signature', binary], { stdio: 'inherit' });

const { inject } = require('postject');
await inject(binary, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
});
if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', binary], { stdio: 'inherit' });

process.stdout.write(`${binary}\n`);
