import { gmail, type gmail_v1 } from '@googleapis/gmail';
import type { IntegrationCredentials } from '@proofpane/commands';
import { type Credentials, OAuth2Client } from 'google-auth-library';
import type { IntegrationSettings } from './settings.js';

/** Read, label and draft; sending needs a person's approval and goes through the same scope. */
export const GMAIL_SCOPES = ['https://www.googleapis.com/auth/gmail.modify'];

export class GoogleFailure extends Error {
  constructor(
    readonly code: string,
    readonly revoked: boolean,
  ) {
    super(`google answered ${code}`);
  }
}

export const googleFailure = (error: unknown): GoogleFailure => {
  if (error instanceof GoogleFailure) return error;
  const data = (error as { response?: { data?: { error?: unknown } } })?.response?.data?.error;
  const raw =
    typeof data === 'string' ? data : typeof data === 'object' && data ? 'api_error' : 'unreachable';
  const code = /^[a-z0-9_]{1,60}$/.test(raw) ? raw : 'unknown';
  return new GoogleFailure(code, code === 'invalid_grant' || code === 'unauthorized_client');
};

/** Google's OAuth client on the operator's endpoints (`PROOFPANE_GOOGLE_AUTH_URL`, `…_TOKEN_URL`). */
export const googleClient = (settings: IntegrationSettings): OAuth2Client =>
  new OAuth2Client({
    clientId: settings.google.clientId ?? '',
    clientSecret: settings.google.clientSecret ?? '',
    redirectUri: settings.google.redirectUri,
    endpoints: { oauth2AuthBaseUrl: settings.google.authUrl, oauth2TokenUrl: settings.google.tokenUrl },
    // A 401 before the recorded expiry (a token revoked or rotated elsewhere) refreshes once and retries.
    forceRefreshOnFailure: true,
  });

/**
 * The Gmail API on a connection's credentials. Tokens Google refreshes are handed to `refreshed`;
 * `settled` resolves once every such hand-over has, so a caller can wait for them before it returns.
 */
export function gmailApi(options: {
  settings: IntegrationSettings;
  credentials: IntegrationCredentials;
  refreshed(credentials: IntegrationCredentials): Promise<void>;
}): { api: gmail_v1.Gmail; settled(): Promise<void> } {
  const auth = googleClient(options.settings);
  auth.setCredentials({
    access_token: options.credentials.accessToken ?? null,
    refresh_token: options.credentials.refreshToken ?? null,
    expiry_date: options.credentials.expiresAt ?? null,
  });
  let current = { ...options.credentials };
  const refreshes: Promise<void>[] = [];
  auth.on('tokens', (tokens) => {
    current = {
      ...current,
      ...(tokens.access_token ? { accessToken: tokens.access_token } : {}),
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(tokens.expiry_date ? { expiresAt: tokens.expiry_date } : {}),
    };
    refreshes.push(options.refreshed(current));
  });
  // googleapis-common pins its own copy of google-auth-library; it only calls the client's `request`,
  // which this one (on the operator's token endpoint) provides.
  const api = gmail({ version: 'v1', auth: auth as never, rootUrl: options.settings.google.gmailRootUrl });
  return { api, settled: async () => void (await Promise.all(refreshes)) };
}

/** The consent URL: offline access (a refresh token), consent shown again so one is always issued. */
export const gmailConsentUrl = (options: { settings: IntegrationSettings; state: string }): string =>
  googleClient(options.settings).generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: GMAIL_SCOPES,
    state: options.state,
    include_granted_scopes: true,
  });

/** The authorization-code exchange; refuses an answer without a refresh token. */
export async function gmailExchangeCode(options: {
  settings: IntegrationSettings;
  code: string;
}): Promise<{ accessToken: string; refreshToken: string; expiresAt: number }> {
  let tokens: Credentials;
  try {
    ({ tokens } = await googleClient(options.settings).getToken(options.code));
  } catch (error) {
    throw googleFailure(error);
  }
  if (!tokens.access_token || !tokens.refresh_token) throw new GoogleFailure('no_refresh_token', false);
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expiry_date ?? Date.now() + 3_000_000,
  };
}
