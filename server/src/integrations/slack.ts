import type { SlackMessage } from '@proofpane/commands';
import { LogLevel, WebClient } from '@slack/web-api';

/** Slack error codes that mean the token or webhook no longer works: connect again. */
const REVOKED = new Set([
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_authed',
  'invalid_token',
  'no_service',
  'channel_is_archived',
]);

/** A refusal from Slack, by its error code only (its messages may echo what was sent). */
export class SlackFailure extends Error {
  constructor(
    readonly code: string,
    readonly revoked: boolean,
  ) {
    super(`slack answered ${code}`);
  }
}

const client = (options: { apiUrl: string; token: string }) =>
  new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    // A method name never replaces the operator's base URL.
    allowAbsoluteUrls: false,
    logLevel: LogLevel.ERROR,
    // Rate limits wait for Retry-After (the client's own handling); other failures are retried twice.
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 },
    timeout: 10_000,
  });

const failure = (error: unknown): SlackFailure => {
  const code =
    typeof error === 'object' && error && 'data' in error
      ? String((error as { data?: { error?: unknown } }).data?.error ?? 'unknown')
      : 'unreachable';
  const plain = /^[a-z0-9_]{1,60}$/.test(code) ? code : 'unknown';
  return new SlackFailure(plain, REVOKED.has(plain));
};

/** `auth.test`: which workspace the bot token belongs to. */
export async function slackAuthTest(options: { apiUrl: string; token: string }): Promise<{ teamId: string }> {
  try {
    const res = await client(options).auth.test();
    if (typeof res.team_id !== 'string' || !/^T[A-Z0-9]{1,30}$/.test(res.team_id))
      throw new SlackFailure('malformed_response', false);
    return { teamId: res.team_id };
  } catch (error) {
    throw error instanceof SlackFailure ? error : failure(error);
  }
}

/** `chat.postMessage` with Block Kit; answers the message's `ts`. */
export async function slackPostMessage(options: {
  apiUrl: string;
  token: string;
  channel: string;
  message: SlackMessage;
}): Promise<string | null> {
  try {
    const res = await client(options).chat.postMessage({
      channel: options.channel,
      text: options.message.text,
      blocks: options.message.blocks as never,
    });
    return typeof res.ts === 'string' ? res.ts : null;
  } catch (error) {
    throw failure(error);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Posts to an incoming webhook. A 429 waits for its Retry-After (at most 30 s, three tries); Slack's
 * webhook refusals answer a plain-text code (`invalid_token`, `no_service`, `channel_is_archived`).
 */
export async function slackWebhookPost(options: { url: string; message: SlackMessage }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options.message),
        redirect: 'error',
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new SlackFailure('unreachable', false);
    }
    if (res.status === 429 && attempt < 3) {
      const wait = Number.parseInt(res.headers.get('retry-after') ?? '1', 10);
      await sleep(Math.min(Number.isFinite(wait) ? wait : 1, 30) * 1000);
      continue;
    }
    const body = (await res.text()).trim().slice(0, 60);
    if (res.ok) return;
    const code = /^[a-z0-9_]{1,60}$/.test(body) ? body : `http_${res.status}`;
    throw new SlackFailure(code, REVOKED.has(code) || res.status === 403 || res.status === 404);
  }
}
