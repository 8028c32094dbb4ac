/**
 * The operator's integration settings, from the environment only: client ids and secrets and every base
 * URL the server may call. Org members choose none of these hosts (no SSRF); the one URL an org supplies,
 * a Slack incoming webhook, must start with an allowed origin.
 */
export interface IntegrationSettings {
  /** `alertsEveryMs`: how often the alert loop looks for new events to post (default 5 s). */
  slack: { apiUrl: string; webhookOrigins: string[]; alertsEveryMs: number };
  salesforce: {
    loginUrl: string;
    clientId: string | undefined;
    clientSecret: string | undefined;
    /** Origins a token response may name as the instance; default any `https://*.salesforce.com`. */
    instanceOrigins: string[] | undefined;
    apiVersion: string;
  };
  google: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    authUrl: string;
    tokenUrl: string;
    gmailRootUrl: string;
    redirectUri: string;
  };
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((v) => v.trim().replace(/\/+$/, ''))
    .filter(Boolean);

const bounded = (value: string | undefined, b: { min: number; max: number; fallback: number }) => {
  const n = Number(value);
  return value && Number.isInteger(n) ? Math.min(Math.max(n, b.min), b.max) : b.fallback;
};

export function integrationSettings(options: {
  env: Record<string, string | undefined>;
  publicUrl: string;
}): IntegrationSettings {
  const e = options.env;
  return {
    slack: {
      apiUrl: e.PROOFPANE_SLACK_API_URL ?? 'https://slack.com/api/',
      webhookOrigins: list(e.PROOFPANE_SLACK_WEBHOOK_ORIGINS) ?? ['https://hooks.slack.com'],
      alertsEveryMs: bounded(e.PROOFPANE_SLACK_ALERTS_MS, { min: 200, max: 600_000, fallback: 5_000 }),
    },
    salesforce: {
      loginUrl: e.PROOFPANE_SALESFORCE_LOGIN_URL ?? 'https://login.salesforce.com',
      clientId: e.PROOFPANE_SALESFORCE_CLIENT_ID,
      clientSecret: e.PROOFPANE_SALESFORCE_CLIENT_SECRET,
      instanceOrigins: list(e.PROOFPANE_SALESFORCE_INSTANCE_ORIGINS),
      apiVersion: e.PROOFPANE_SALESFORCE_API_VERSION ?? '62.0',
    },
    google: {
      clientId: e.PROOFPANE_GOOGLE_CLIENT_ID,
      clientSecret: e.PROOFPANE_GOOGLE_CLIENT_SECRET,
      authUrl: e.PROOFPANE_GOOGLE_AUTH_URL ?? 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: e.PROOFPANE_GOOGLE_TOKEN_URL ?? 'https://oauth2.googleapis.com/token',
      gmailRootUrl: e.PROOFPANE_GMAIL_API_URL ?? 'https://gmail.googleapis.com/',
      redirectUri: `${options.publicUrl}/integrations/gmail/callback`,
    },
  };
}

/** A Salesforce instance URL from a token response, accepted only on an allowed origin. */
export function allowedInstance(settings: IntegrationSettings, instanceUrl: string | undefined): boolean {
  if (!instanceUrl) return false;
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    return false;
  }
  const allowed = settings.salesforce.instanceOrigins;
  if (allowed) return allowed.includes(url.origin);
  return url.protocol === 'https:' && /(^|\.)(salesforce|force)\.com$/.test(url.hostname) && !url.port;
}

/** A Slack incoming webhook URL, accepted only under an operator-allowed origin. */
export function allowedWebhook(settings: IntegrationSettings, webhookUrl: string): boolean {
  try {
    const url = new URL(webhookUrl);
    return settings.slack.webhookOrigins.includes(url.origin) && !url.username && !url.password;
  } catch {
    return false;
  }
}
