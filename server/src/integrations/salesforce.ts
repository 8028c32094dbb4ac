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
