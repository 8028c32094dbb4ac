import type { IntegrationCredentials } from '@proofpane/commands';
import { Connection, OAuth2 } from 'jsforce';
import type { IntegrationSettings } from './settings.js';

/** What a Salesforce token endpoint or login gave back. */
export interface SalesforceSession {
  accessToken: string;
  instanceUrl: string;
}

/** A refusal from Salesforce by its OAuth or REST error code (`invalid_grant`, `INVALID_SESSION_ID`). */
export class SalesforceFailure extends Error {
  constructor(
    readonly code: string,
    readonly revoked: boolean,
  ) {
    super(`salesforce answered ${code}`);
  }
}

const REVOKED = new Set(['invalid_grant', 'invalid_client', 'inactive_user', 'INVALID_SESSION_ID']);

export const salesforceFailure = (error: unknown): SalesforceFailure => {
  if (error instanceof SalesforceFailure) return error;
  const name = error instanceof Error ? error.name : 'unknown';
  const code = /^[A-Za-z0-9_]{1,60}$/.test(name) && name !== 'Error' ? name : 'unknown';
  return new SalesforceFailure(code, REVOKED.has(code));
};

const oauth2 = (s: IntegrationSettings) => ({
  loginUrl: s.salesforce.loginUrl,
  clientId: s.salesforce.clientId ?? '',
  clientSecret: s.salesforce.clientSecret ?? '',
  redirectUri: 'http://localhost/unused',
});

/** The OAuth 2.0 username-password flow (`grant_type=password`) against the operator's login URL. */
export async function salesforcePasswordLogin(options: {
  settings: IntegrationSettings;
  username: string;
  password: string;
}): Promise<SalesforceSession> {
  const conn = new Connection({
    oauth2: oauth2(options.settings),
    version: options.settings.salesforce.apiVersion,
  });
  try {
    await conn.login(options.username, options.password);
  } catch (error) {
    throw salesforceFailure(error);
  }
  return { accessToken: conn.accessToken ?? '', instanceUrl: conn.instanceUrl };
}

/** The refresh-token flow (`grant_type=refresh_token`): a fresh access token and the instance URL. */
export async function salesforceRefresh(options: {
  settings: IntegrationSettings;
  refreshToken: string;
}): Promise<SalesforceSession> {
  try {
    const res = await new OAuth2(oauth2(options.settings)).refreshToken(options.refreshToken);
    return { accessToken: res.access_token, instanceUrl: res.instance_url };
  } catch (error) {
    throw salesforceFailure(error);
  }
}

/**
 * A jsforce connection on the stored session that renews itself once on a 401 (refresh token, or the
 * stored password) and hands the renewed credential to `refreshed`. `vendorError` classifies a failure,
 * keeping the refresh's own code, which jsforce rewraps in a plain Error.
 */
export function salesforceConnection(options: {
  settings: IntegrationSettings;
  credentials: IntegrationCredentials;
  refreshed(credentials: IntegrationCredentials): Promise<void>;
}): { conn: Connection; vendorError(error: unknown): SalesforceFailure } {
  const { settings, credentials } = options;
  let current = { ...credentials };
  let refreshFailure: unknown;
  const conn = new Connection({
    version: settings.salesforce.apiVersion,
    instanceUrl: credentials.instanceUrl ?? '',
    accessToken: credentials.accessToken ?? '',
    refreshFn: (c, callback) => {
      const renew = current.refreshToken
        ? salesforceRefresh({ settings, refreshToken: current.refreshToken })
        : salesforcePasswordLogin({
            settings,
            username: current.username ?? '',
            password: current.password ?? '',
          });
      renew
        .then(async (session) => {
          current = { ...current, accessToken: session.accessToken };
          await options.refreshed(current);
          c.accessToken = session.accessToken;
          callback(null, session.accessToken);
        })
        .catch((error: unknown) => {
          refreshFailure = error;
          callback(error as Error);
        });
    },
  });
  return { conn, vendorError: (error) => salesforceFailure(refreshFailure ?? error) };
}
