import type { Actor, EventStore } from '@proofpane/core';
import type { ProviderKeyVault, StoredProviderKey } from './provider-keys.js';

/** Stores an org's key for a provider and audits it by fingerprint only. */
export async function setProviderKey(options: {
  store: EventStore;
  vault: ProviderKeyVault;
  org: string;
  actor: Actor;
  provider: string;
  apiKey: string;
  now: Date;
}): Promise<StoredProviderKey> {
  const { store, vault, org, actor, provider, apiKey, now } = options;
  const stored = await vault.set({ org, provider, apiKey, now });
  await store.append({
    org,
    events: [
      {
        type: 'cp.provider.key.set',
        subject: `provider-key/${provider}`,
        actor,
        data: { provider, fingerprint: stored.fingerprint },
      },
    ],
  });
  return stored;
}

/** Deletes an org's key for a provider; false (and no event) when there was none. */
export async function removeProviderKey(options: {
  store: EventStore;
  vault: ProviderKeyVault;
  org: string;
  actor: Actor;
  provider: string;
}): Promise<boolean> {
  const { store, vault, org, actor, provider } = options;
  if (!(await vault.remove({ org, provider }))) return false;
  await store.append({
    org,
    events: [
      { type: 'cp.provider.key.removed', subject: `provider-key/${provider}`, actor, data: { provider } },
    ],
  });
  return true;
}
