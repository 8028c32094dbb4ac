import { type QualitySettings, readQualitySettings } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import { LRUCache } from 'lru-cache';

/** How long another process may keep serving an org's old setting after an admin changed it. */
const TTL_MS = 5_000;
/**
 * Orgs whose settings stay in memory, least recently used dropped first: without a bound a process
 * would keep an entry for every org it ever served. A dropped one costs one read on its next call.
 */
const MAX_ORGS = 10_000;

/**
 * The orgs' quality settings as the governed-call path reads them: from memory, so a `/v1` call with L3
 * off costs no query; this process's own changes apply at once, other processes' within five seconds.
 */
export function qualitySettingsCache(options: { store: EventStore; now?: () => number; maxOrgs?: number }) {
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, { settings: QualitySettings; at: number }>({
    max: options.maxOrgs ?? MAX_ORGS,
  });
  return {
    async get(org: string): Promise<QualitySettings> {
      const hit = entries.get(org);
      if (hit && now() - hit.at < TTL_MS) return hit.settings;
      const settings = await readQualitySettings({ store: options.store, org });
      entries.set(org, { settings, at: now() });
      return settings;
    },
    set(org: string, settings: QualitySettings): void {
      entries.set(org, { settings, at: now() });
    },
  };
}

export type QualitySettingsCache = ReturnType<typeof qualitySettingsCache>;
