import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LITELLM_PRICES_URL, parseLiteLlmPrices } from './litellm.js';
import { BUNDLED_PRICES, type PriceTable } from './price-table.js';

export interface PriceRefresherOptions {
  /** Where the last good download is cached, so a restart without network keeps fresher prices. */
  cacheFile: string;
  url?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RefreshOutcome {
  ok: boolean;
  version: string;
  error?: string;
}

/**
 * Keeps the active price table. `current()` is synchronous and never waits on the network: calls price
 * against whatever is active (bundled, cached, or freshly downloaded). Downloaded prices overlay the
 * bundled ones, so models only the snapshot knows (the demo provider) keep their price.
 */
export interface PriceRefresher {
  current(): PriceTable;
  /** Loads the cache file if there is one; resolves (never rejects) with what happened. */
  loadCache(): Promise<RefreshOutcome>;
  /** Downloads with a timeout; on any failure the active table stays. Never rejects. */
  refresh(): Promise<RefreshOutcome>;
  /** Refreshes now and then every `intervalMs` in the background (the timer does not keep the process alive). */
  start(options: { intervalMs: number }): void;
  stop(): void;
}

function overlay(fresh: PriceTable): PriceTable {
  return {
    version: fresh.version,
    source: fresh.source,
    models: { ...BUNDLED_PRICES.models, ...fresh.models },
  };
}

export function createPriceRefresher(options: PriceRefresherOptions): PriceRefresher {
  const url = options.url ?? LITELLM_PRICES_URL;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? fetch;
  let active: PriceTable = BUNDLED_PRICES;
  let timer: NodeJS.Timeout | undefined;
  const failed = (error: unknown): RefreshOutcome => ({
    ok: false,
    version: active.version,
    error: error instanceof Error ? error.message : String(error),
  });

  const refresh = async (): Promise<RefreshOutcome> => {
    try {
      const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`price list download failed with HTTP ${response.status}`);
      const body = await response.text();
      const table = parseLiteLlmPrices(body);
      active = overlay(table);
      await mkdir(dirname(options.cacheFile), { recursive: true });
      const tmp = `${options.cacheFile}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, options.cacheFile);
      return { ok: true, version: active.version };
    } catch (error) {
      return failed(error);
    }
  };

  return {
    current: () => active,
    async loadCache() {
      try {
        active = overlay(parseLiteLlmPrices(await readFile(options.cacheFile, 'utf8')));
        return { ok: true, version: active.version };
      } catch (error) {
        return failed(error);
      }
    },
    refresh,
    start({ intervalMs }) {
      if (timer) return;
      void refresh();
      timer = setInterval(() => void refresh(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
