import { APICallError } from 'ai';

export interface RetryPolicy {
  /** Total attempts including the first (default 3). */
  maxAttempts: number;
  /** First backoff step; each retry doubles it, with full jitter (default 250 ms). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  timeoutMs: 60_000,
};

export interface ErrorInfo {
  status?: number;
  kind: 'rate_limited' | 'server_error' | 'timeout' | 'network' | 'client_error' | 'unknown';
  retryable: boolean;
  retryAfterMs?: number;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error, i = 0; e !== undefined && e !== null && i < 5; i++) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

/** Sorts an upstream failure into retryable (429, 5xx, timeouts, dropped connections) or final. */
export function classifyError(error: unknown): ErrorInfo {
  for (const e of causeChain(error)) {
    if (APICallError.isInstance(e)) {
      const status = e.statusCode;
      const retryAfter = Number(e.responseHeaders?.['retry-after']);
      const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
      const extra = retryAfterMs === undefined ? {} : { retryAfterMs };
      if (status === 429) return { status, kind: 'rate_limited', retryable: true, ...extra };
      if (status !== undefined && status >= 500)
        return { status, kind: 'server_error', retryable: true, ...extra };
      if (status !== undefined) return { status, kind: 'client_error', retryable: status === 408 };
    }
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError') return { kind: 'timeout', retryable: true };
    const code = (e as { code?: string }).code;
    if (code && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT'].includes(code)) {
      return { kind: 'network', retryable: true };
    }
  }
  return { kind: 'unknown', retryable: false };
}

/** Exponential backoff with full jitter, never shorter than a vendor's Retry-After (capped at maxDelayMs). */
export function backoffMs(options: {
  policy: RetryPolicy;
  attempt: number;
  retryAfterMs?: number;
  random?: () => number;
}): number {
  const { policy, attempt } = options;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round((options.random ?? Math.random)() * ceiling);
  return Math.min(policy.maxDelayMs, Math.max(jittered, options.retryAfterMs ?? 0));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
