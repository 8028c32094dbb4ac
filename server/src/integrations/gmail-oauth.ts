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
