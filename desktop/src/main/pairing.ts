import { exchangePairingCode, type FetchLike, normaliseServerUrl } from './api-client.js';
import type { Account, TokenVault } from './token-vault.js';

/**
 * Pairs this app with one org. Storage is checked before the code is exchanged: a single-use
 * code must not be spent on a token the app would then refuse to keep.
 */
export async function pairWithCode(options: {
  vault: TokenVault;
  fetch: FetchLike;
  serverUrl: string;
  code: string;
  name: string;
}): Promise<Account> {
  const serverUrl = normaliseServerUrl(options.serverUrl);
  options.vault.assertSecure();
  const result = await exchangePairingCode({
    fetch: options.fetch,
    serverUrl,
    code: options.code,
    name: options.name,
  });
  const account: Account = {
    org: result.org,
    orgName: result.orgName,
    serverUrl,
    approverId: result.approverId,
    expiresAt: result.expiresAt,
    token: result.token,
  };
  await options.vault.save(account);
  return account;
}

const DAY_MS = 86_400_000;

/** Days until the 90-day token lapses (0 once it has), for the "re-pair soon" hint. */
export function daysUntilExpiry(expiresAt: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now.getTime()) / DAY_MS));
}
