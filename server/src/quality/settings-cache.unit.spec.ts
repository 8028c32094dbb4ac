import type { EventStore } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { qualitySettingsCache } from './settings-cache.js';

/** A store with no settings events that counts the reads of each org's settings. */
function countingStore() {
  const reads: string[] = [];
  const store = {
    async readSubject(options: { org: string }) {
      reads.push(options.org);
      return [];
    },
  } as unknown as EventStore;
  return { store, reads };
}

describe('the quality settings cache', () => {
  it('serves an org it holds from memory until the time to live passes', async () => {
    const { store, reads } = countingStore();
    let clock = 0;
    const cache = qualitySettingsCache({ store, now: () => clock });
    await cache.get('org_a');
    await cache.get('org_a');
    expect(reads).toEqual(['org_a']);
    clock = 5_000;
    await cache.get('org_a');
    expect(reads).toEqual(['org_a', 'org_a']);
  });

  it('holds at most maxOrgs orgs, dropping the least recently used first', async () => {
    const { store, reads } = countingStore();
    const cache = qualitySettingsCache({ store, now: () => 0, maxOrgs: 2 });
    await cache.get('org_a');
    await cache.get('org_b');
    await cache.get('org_a'); // org_b is now the least recently used
    await cache.get('org_c'); // drops org_b
    expect(reads).toEqual(['org_a', 'org_b', 'org_c']);
    await cache.get('org_a');
    await cache.get('org_c');
    expect(reads).toEqual(['org_a', 'org_b', 'org_c']);
    await cache.get('org_b');
    expect(reads).toEqual(['org_a', 'org_b', 'org_c', 'org_b']);
  });

  it('stays within its bound however many orgs it serves', async () => {
    const { store, reads } = countingStore();
    const cache = qualitySettingsCache({ store, now: () => 0, maxOrgs: 100 });
    for (let i = 0; i < 1_000; i++) await cache.get(`org_${i}`);
    // The last 100 are held; the first one was dropped long ago and is read again.
    for (let i = 900; i < 1_000; i++) await cache.get(`org_${i}`);
    expect(reads).toHaveLength(1_000);
    await cache.get('org_0');
    expect(reads).toHaveLength(1_001);
  });
});
