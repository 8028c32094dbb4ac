import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses, and so do we, a request whose timestamp is more than five minutes off. */
export const SLACK_REPLAY_WINDOW_SECONDS = 300;

export type SlackSignatureProblem = 'missing' | 'stale' | 'mismatch';

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the app's signing secret (Slack's scheme). */
export const slackSignature = (options: { signingSecret: string; timestamp: string; body: string }): string =>
  `v0=${createHmac('sha256', options.signingSecret)
    .update(`v0:${options.timestamp}:${options.body}`)
    .digest('hex')}`;

/**
 * Verifies a request from Slack over its raw body: the timestamp inside the replay window, then the
 * signature compared in constant time. Answers the problem, or undefined when the request is Slack's.
 */
export function checkSlackSignature(options: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowSeconds: number;
}): SlackSignatureProblem | undefined {
  const { timestamp, signature } = options;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'missing';
  if (Math.abs(options.nowSeconds - Number(timestamp)) > SLACK_REPLAY_WINDOW_SECONDS) return 'stale';
  const expected = Buffer.from(
    slackSignature({ signingSecret: options.signingSecret, timestamp, body: options.body }),
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'mismatch';
}
