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

/** A message as the fake mailbox holds it. */
export interface FakeMail {
  id: string;
  from: string;
  subject: string;
  body: string;
}

/**
 * Google: the consent screen (`GET /auth`, which consents at once and redirects to `redirect_uri` with a
 * code and the state, on `consoleBase` when given), the token endpoint (authorization-code and refresh-token
 * grants) and the Gmail API under `/gmail/v1/users/me` (profile, history, messages.get and .modify, labels),
 * answering 401 `UNAUTHENTICATED` for an unknown access token and 429 with Retry-After when told.
 */
export async function fakeGoogle(options: { codes: Set<string>; consoleBase?: () => string }) {
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const state = {
    historyId: 1000,
    mails: [] as (FakeMail & { historyId: number; labelIds: string[] })[],
    labels: [{ id: 'INBOX', name: 'INBOX', type: 'system' }] as { id: string; name: string; type: string }[],
    rateLimitNext: 0,
    malformedNext: false,
    drafts: [] as { id: string; threadId: string; raw: string }[],
  };
  let issued = 0;
  const issue = () => {
    issued += 1;
    const token = `ya29.fake-access-${issued}`;
    accessTokens.add(token);
    return token;
  };
  const vendor = await listen((r, res) => {
    const url = new URL(r.path, 'http://x');
    if (url.pathname === '/auth' && r.method === 'GET') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? '/');
      const base = options.consoleBase?.() ?? back.origin;
      const code = [...options.codes][0] ?? 'no-code';
      const st = url.searchParams.get('state') ?? '';
      res.writeHead(302, {
        location: `${base}${back.pathname}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(st)}`,
      });
      return res.end();
    }
    if (url.pathname === '/token' && r.method === 'POST') {
      const f = fieldsOf(r);
      if (f.grant_type === 'authorization_code' && options.codes.has(f.code ?? '')) {
        options.codes.delete(f.code ?? '');
        const refresh = `1//fake-refresh-token-${issued + 1}`;
        refreshTokens.add(refresh);
        return json(res, 200, {
          access_token: issue(),
          refresh_token: refresh,
          expires_in: 3599,
          scope: 'https://www.googleapis.com/auth/gmail.modify',
          token_type: 'Bearer',
        });
      }
      if (f.grant_type === 'refresh_token' && refreshTokens.has(f.refresh_token ?? ''))
        return json(res, 200, { access_token: issue(), expires_in: 3599, token_type: 'Bearer' });
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'Token has been expired or revoked.',
      });
    }
    const base = '/gmail/v1/users/me';
    if (!url.pathname.startsWith(base))
      return json(res, 404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
    if (state.rateLimitNext > 0) {
      state.rateLimitNext -= 1;
      return json(
        res,
        429,
        {
          error: {
            code: 429,
            message: 'Too many concurrent requests for user.',
            status: 'RESOURCE_EXHAUSTED',
          },
        },
        { 'retry-after': '1' },
      );
    }
    const token = String(r.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!accessTokens.has(token))
      return json(res, 401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
    const path = url.pathname.slice(base.length);
    if (path === '/profile')
      return json(res, 200, { emailAddress: 'inbox@example.test', historyId: String(state.historyId) });
    if (path === '/history') {
      const start = Number(url.searchParams.get('startHistoryId'));
      const added = state.mails.filter((m) => m.historyId > start);
      return json(res, 200, {
        history: added.map((m) => ({
          id: String(m.historyId),
          messagesAdded: [{ message: { id: m.id, threadId: m.id, labelIds: ['INBOX'] } }],
        })),
        historyId: String(state.historyId),
      });
    }
    if (path === '/labels' && r.method === 'GET') return json(res, 200, { labels: state.labels });
    if (path === '/labels' && r.method === 'POST') {
      const { name } = JSON.parse(r.body) as { name: string };
      const label = { id: `Label_${state.labels.length}`, name, type: 'user' };
      state.labels.push(label);
      return json(res, 200, label);
    }
    if (path === '/drafts' && r.method === 'POST') {
      const { message } = JSON.parse(r.body) as { message: { raw: string; threadId: string } };
      const draft = { id: `r-${state.drafts.length + 1}`, threadId: message.threadId, raw: message.raw };
      state.drafts.push(draft);
      return json(res, 200, { id: draft.id, message: { id: `d${draft.id}`, threadId: draft.threadId } });
    }
    const get = /^\/messages\/([A-Za-z0-9]+)$/.exec(path);
    const mail = state.mails.find(
      (m) => m.id === (get?.[1] ?? /^\/messages\/([A-Za-z0-9]+)\/modify$/.exec(path)?.[1]),
    );
    if (get && mail && r.method === 'GET') {
      if (state.malformedNext) {
        state.malformedNext = false;
        return json(res, 200, { id: mail.id });
      }
      return json(res, 200, {
        id: mail.id,
        threadId: mail.id,
        labelIds: mail.labelIds,
        snippet: mail.body.slice(0, 100),
        payload: {
          mimeType: 'multipart/alternative',
          headers: [
            { name: 'From', value: mail.from },
            { name: 'Subject', value: mail.subject },
          ],
          parts: [
            {
              partId: '0',
              mimeType: 'text/plain',
              body: { size: mail.body.length, data: Buffer.from(mail.body).toString('base64url') },
            },
            {
              partId: '1',
              mimeType: 'text/html',
              body: { size: 1, data: Buffer.from('<p></p>').toString('base64url') },
            },
          ],
        },
      });
    }
    if (mail && r.method === 'POST' && path.endsWith('/modify')) {
      const { addLabelIds = [] } = JSON.parse(r.body) as { addLabelIds?: string[] };
      mail.labelIds.push(...addLabelIds);
      return json(res, 200, { id: mail.id, labelIds: mail.labelIds });
    }
    return json(res, 404, {
      error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
    });
  });
  return {
    ...vendor,
    state,
    deliver(mail: FakeMail) {
      state.historyId += 1;
      state.mails.push({ ...mail, historyId: state.historyId, labelIds: ['INBOX'] });
    },
    expireSessions: () => accessTokens.clear(),
    revokeRefreshTokens: () => refreshTokens.clear(),
  };
}
