import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake vendor received, as it arrived on the wire. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeVendor {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

type Handler = (req: Received, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<FakeVendor> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

/** The form fields or JSON object of a request body. */
export const fieldsOf = (r: Received): Record<string, string> => {
  const type = String(r.headers['content-type'] ?? '');
  if (type.includes('application/json')) return JSON.parse(r.body) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(r.body));
};

/**
 * Slack's Web API (`auth.test`, `chat.postMessage`: HTTP 200 with `{ok:false,error}` on refusals, 429 with
 * Retry-After on rate limits) and an incoming webhook under `/services/…` (plain-text codes).
 */
export async function fakeSlack(options: { teamId: string; validTokens: Set<string> }) {
  const state = { rateLimitNext: 0, malformedNext: false, webhookRevoked: false };
  const vendor = await listen((r, res) => {
    if (r.path.startsWith('/services/')) {
      if (state.rateLimitNext > 0) {
        state.rateLimitNext -= 1;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' });
        return res.end('rate_limited');
      }
      res.writeHead(state.webhookRevoked ? 404 : 200, { 'content-type': 'text/plain' });
      return res.end(state.webhookRevoked ? 'no_service' : 'ok');
    }
    const token = String(r.headers.authorization ?? '').replace(/^Bearer /, '');
    if (state.rateLimitNext > 0) {
      state.rateLimitNext -= 1;
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    }
    if (!options.validTokens.has(token)) return json(res, 200, { ok: false, error: 'token_revoked' });
    if (r.path === '/api/auth.test') {
      if (state.malformedNext) {
        state.malformedNext = false;
        return json(res, 200, { ok: true, team_id: 'not a team' });
      }
      return json(res, 200, {
        ok: true,
        team_id: options.teamId,
        user_id: 'UBOT',
        url: 'https://x.slack.com/',
      });
    }
    if (r.path === '/api/chat.postMessage')
      return json(res, 200, { ok: true, channel: fieldsOf(r).channel, ts: '1700000000.000100' });
    return json(res, 200, { ok: false, error: 'unknown_method' });
  });
  return { ...vendor, state };
}

/** A Lead as Salesforce's REST API returns it. */
export interface FakeLead {
  Id: string;
  Company: string;
  Title: string | null;
  LeadSource: string | null;
  Country: string | null;
  Description: string | null;
  LastModifiedDate: string;
  [field: string]: unknown;
}

/**
 * Salesforce: the OAuth token endpoint (`/services/oauth2/token`, password and refresh-token grants), SOQL
 * `GET /services/data/vXX.X/query?q=` and `PATCH /services/data/vXX.X/sobjects/Lead/:id`, answering
 * 401 `INVALID_SESSION_ID` for an unknown or expired access token and 429 with Retry-After when told.
 */
export async function fakeSalesforce(options: { users: Record<string, string>; refreshTokens: Set<string> }) {
  let base = '';
  const accessTokens = new Set<string>();
  const state = { rateLimitNext: 0, malformedNext: false, leads: [] as FakeLead[] };
  const vendor = await listen((r, res) => {
    const url = new URL(r.path, 'http://x');
    if (url.pathname === '/services/oauth2/token' && r.method === 'POST') {
      const f = fieldsOf(r);
      const ok =
        (f.grant_type === 'password' &&
          f.username !== undefined &&
          options.users[f.username] === f.password) ||
        (f.grant_type === 'refresh_token' && options.refreshTokens.has(f.refresh_token ?? ''));
      if (!ok) return json(res, 400, { error: 'invalid_grant', error_description: 'authentication failure' });
      const token = `00Dfake!${Math.random().toString(36).slice(2)}`;
      accessTokens.add(token);
      return json(res, 200, {
        access_token: token,
        instance_url: base,
        id: `${base}/id/00D000000000001AAA/005000000000001AAA`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'c2lnbmF0dXJl',
      });
    }
    if (!url.pathname.startsWith('/services/data/'))
      return json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    if (state.rateLimitNext > 0) {
      state.rateLimitNext -= 1;
      return json(res, 429, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }], {
        'retry-after': '1',
      });
    }
    const token = String(r.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!accessTokens.has(token))
      return json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    if (url.pathname.endsWith('/query') && r.method === 'GET') {
      if (state.malformedNext) {
        state.malformedNext = false;
        return json(res, 200, {
          totalSize: 1,
          done: true,
          records: [{ Id: 'not an id; DROP', LastModifiedDate: 'x' }],
        });
      }
      const q = url.searchParams.get('q') ?? '';
      const after = /LastModifiedDate > (\S+)/.exec(q)?.[1] ?? '1970-01-01T00:00:00Z';
      const records = state.leads
        .filter((l) => Date.parse(l.LastModifiedDate) > Date.parse(after))
        .sort((a, b) => Date.parse(a.LastModifiedDate) - Date.parse(b.LastModifiedDate))
        .map((l) => ({
          attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${l.Id}` },
          ...l,
        }));
      return json(res, 200, { totalSize: records.length, done: true, records });
    }
    const patch = /\/sobjects\/Lead\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (patch && r.method === 'PATCH') {
      const lead = state.leads.find((l) => l.Id === patch[1]);
      if (!lead)
        return json(res, 404, [
          { errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist' },
        ]);
      Object.assign(lead, JSON.parse(r.body) as object);
      res.writeHead(204);
      return res.end();
    }
    return json(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
  base = vendor.url;
  return { ...vendor, state, expireSessions: () => accessTokens.clear() };
}

/**
 * Google's OAuth 2.0 endpoints: the consent screen (`GET /auth`, which consents at once and redirects to
 * `redirect_uri` with a code and the state, on `consoleBase` when given) and the token endpoint's
 * authorization-code grant.
 */
export async function fakeGoogle(options: { codes: Set<string>; consoleBase?: () => string }) {
  return listen((r, res) => {
    const url = new URL(r.path, 'http://x');
    if (url.pathname === '/auth' && r.method === 'GET') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? '/');
      const base = options.consoleBase?.() ?? back.origin;
      const code = [...options.codes][0] ?? 'no-code';
      const state = url.searchParams.get('state') ?? '';
      res.writeHead(302, {
        location: `${base}${back.pathname}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
      });
      return res.end();
    }
    if (r.path === '/token' && r.method === 'POST') {
      const f = fieldsOf(r);
      if (f.grant_type === 'authorization_code' && options.codes.has(f.code ?? '')) {
        options.codes.delete(f.code ?? '');
        return json(res, 200, {
          access_token: 'ya29.fake-access',
          refresh_token: '1//fake-refresh-token',
          expires_in: 3599,
          scope: 'https://www.googleapis.com/auth/gmail.modify',
          token_type: 'Bearer',
        });
      }
      return json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
    }
    return json(res, 404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
  });
}
