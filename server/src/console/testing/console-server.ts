import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';

export interface ConsoleServer {
  url: string;
  app: FastifyInstance;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * The whole server on loopback with an embedded PGlite in a fresh folder, as `make run` starts it,
 * for the browser tests and the console bench.
 */
export async function startConsoleServer(
  options: { env?: Record<string, string> } = {},
): Promise<ConsoleServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-console-'));
  const config = loadConfig({
    PROOFPANE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PROOFPANE_PRICE_REFRESH: 'off',
    PROOFPANE_SCRYPT_COST: '10',
    PROOFPANE_AUTH_RATE_LIMIT: '1000',
    PROOFPANE_CHECKPOINT_INTERVAL_S: '0',
    ...options.env,
  });
  const runtime = await openRuntime({ config });
  const app = await buildApp({ runtime, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    runtime,
    close: async () => {
      await app.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
