import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '@proofpane/core';

/** How far a delivery's timestamp may be from the receiver's clock. */
export const HOOK_TOLERANCE_SECONDS = 300;
export const HOOK_TIMESTAMP_HEADER = 'x-proofpane-timestamp';
export const HOOK_SIGNATURE_HEADER = 'x-proofpane-signature';

/**
 * The secret a hook's deliveries are signed with: HMAC-SHA256 of its URL token under the platform master
 * key. Derived again on each delivery, it is stored nowhere; rotating the master key changes every secret.
 */
export const hookSecret = (options: { masterKey: Buffer; token: string }): string =>
  createHmac('sha256', options.masterKey)
    .update(`proofpane workflow hook\u0000${options.token}`)
    .digest('hex');

/** What a sender puts in `x-proofpane-signature`: `sha256=` and the HMAC of `<timestamp>.<raw body>`. */
export const signHookBody = (options: { secret: string; timestamp: string; body: string }): string =>
  `sha256=${createHmac('sha256', options.secret).update(`${options.timestamp}.${options.body}`).digest('hex')}`;

export type HookCheck = 'ok' | 'bad_signature' | 'stale_timestamp';

/** Checks a delivery's signature (in constant time) and that its timestamp is recent. */
export function checkHookDelivery(options: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  now: Date;
}): HookCheck {
  const { timestamp, signature } = options;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return 'bad_signature';
  const expected = Buffer.from(signHookBody({ secret: options.secret, timestamp, body: options.body }));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  const skew = Math.abs(options.now.getTime() / 1000 - Number(timestamp));
  return skew > HOOK_TOLERANCE_SECONDS ? 'stale_timestamp' : 'ok';
}

/**
 * A run id derived from what started the run (a delivery's signature, a schedule's tick, an event's id):
 * every worker that sees the same cause derives the same id, and the run starts once.
 */
export const derivedRunId = (...parts: string[]): string =>
  `wfr_${sha256Hex(parts.join('\u0000')).slice(0, 32)}`;
