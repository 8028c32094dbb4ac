import type { ProviderId } from './types.js';

/**
 * A provider call that failed for good (after retries, or at once for a client error). Maps to
 * `provider_error` (502) at the gateway; `upstreamStatus` is the vendor's last HTTP status.
 */
export class ProviderError extends Error {
  readonly code = 'provider_error';
  readonly status = 502;
  /** Part of the call was answered (one of several choices) before it failed: the vendor billed for it. */
  billed = false;
  constructor(
    readonly provider: ProviderId,
    readonly attempts: number,
    readonly upstreamStatus: number | undefined,
    readonly kind: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${provider} call failed after ${attempts} attempt(s) (${kind}${upstreamStatus ? ` ${upstreamStatus}` : ''})`,
      options,
    );
    this.name = 'ProviderError';
  }
}

/** The request names a provider that has no credentials configured (and no per-org key was given). */
export class ProviderNotConfiguredError extends Error {
  readonly code = 'provider_not_configured';
  readonly status = 400;
  constructor(readonly provider: ProviderId) {
    super(`provider "${provider}" is not configured`);
    this.name = 'ProviderNotConfiguredError';
  }
}
