import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PRICES, createPriceRefresher, priceFor } from './index.js';

const LIST = JSON.stringify({
  'gpt-4o': {
    litellm_provider: 'openai',
    mode: 'chat',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.2e-5,
  },
});

let server: Server;
let base = '';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prices-'));
  server = createServer((req, res) => {
    if (req.url === '/prices.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(LIST);
    } else if (req.url === '/broken.json') {
      res.writeHead(200).end('{not json');
    } else if (req.url === '/down.json') {
      res.writeHead(503).end();
    }
    // Any other path never answers: the refresher's timeout must end the wait.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('price refresher', () => {
  it('starts on the bundled table, downloads, caches and overlays', async () => {
    const cacheFile = join(dir, 'a', 'prices.json');
    const refresher = createPriceRefresher({ cacheFile, url: `${base}/prices.json` });
    expect(refresher.current()).toBe(BUNDLED_PRICES);
    const outcome = await refresher.refresh();
    expect(outcome.ok).toBe(true);
    const table = refresher.current();
    expect(table.source).toBe('litellm');
    expect(priceFor({ provider: 'openai', model: 'gpt-4o', table })?.inputMicrosPerMTok).toBe(3_000_000);
    expect(priceFor({ provider: 'demo', model: 'demo', table })).not.toBeNull();
    expect(await readFile(cacheFile, 'utf8')).toBe(LIST);

    const restarted = createPriceRefresher({ cacheFile, url: `${base}/never` });
    expect((await restarted.loadCache()).ok).toBe(true);
    expect(restarted.current().version).toBe(table.version);
  });

  it('keeps the bundled table when the download times out, fails or is garbage', async () => {
    for (const path of ['/never', '/down.json', '/broken.json']) {
      const refresher = createPriceRefresher({
        cacheFile: join(dir, 'b.json'),
        url: `${base}${path}`,
        timeoutMs: 200,
      });
      const outcome = await refresher.refresh();
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toBeTruthy();
      expect(refresher.current()).toBe(BUNDLED_PRICES);
    }
  });

  it('reports a missing cache without throwing', async () => {
    const refresher = createPriceRefresher({ cacheFile: join(dir, 'missing.json') });
    expect((await refresher.loadCache()).ok).toBe(false);
    expect(refresher.current()).toBe(BUNDLED_PRICES);
  });
});
