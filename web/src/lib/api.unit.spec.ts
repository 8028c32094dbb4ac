import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, download, errorText, getJson, queryString, request, sendJson } from './api';
import { session } from './session.svelte';
import { MemoryStorage } from './testing/memory-storage';

const signedIn = {
  token: 'pps_abc',
  user: { id: 'usr_1', email: 'ada@example.com' },
  org: { id: 'org_1', name: 'Acme' },
};

let answer: () => Response | Promise<Response>;
const fetch = vi.fn(async (_url: string, _init: RequestInit) => answer());

beforeEach(() => {
  vi.stubGlobal('localStorage', new MemoryStorage());
  vi.stubGlobal('fetch', fetch);
  fetch.mockClear();
  answer = () => Response.json({ ok: true });
  session.current = null;
  session.notice = null;
});
afterEach(() => vi.unstubAllGlobals());

const problem = (status: number, body: unknown, type = 'application/problem+json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('queryString', () => {
  it('encodes the set values and leaves out empty, null and undefined ones', () => {
    expect(
      queryString({ type: 'cp.llm.', limit: 20, live: false, actor: '', run: null, to: undefined }),
    ).toBe('?type=cp.llm.&limit=20&live=false');
    expect(queryString({ subject: 'a b&c' })).toBe('?subject=a+b%26c');
    expect(queryString({})).toBe('');
    expect(queryString(undefined)).toBe('');
  });
});

describe('request', () => {
  it('sends the session token, and JSON with its content type', async () => {
    session.current = signedIn;
    await sendJson('POST', '/api/orgs', { name: 'Beta' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/orgs');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ authorization: 'Bearer pps_abc', 'content-type': 'application/json' });
    expect(init.body).toBe('{"name":"Beta"}');
  });

  it('sends no token for an anonymous call, and no body or content type without one', async () => {
    session.current = signedIn;
    await sendJson('POST', '/api/auth/login', { email: 'a@b.c' }, { anonymous: true });
    expect(fetch.mock.calls[0]?.[1].headers).toEqual({ 'content-type': 'application/json' });
    session.current = null;
    await getJson('/api/runs', { window: '7d', kind: undefined });
    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe('/api/runs?window=7d');
    expect(init).toEqual({ method: 'GET', headers: {} });
  });

  it('turns a problem into an ApiError with its code, detail and field errors', async () => {
    answer = () =>
      problem(400, {
        type: 'https://proofpane.dev/problems/validation_failed',
        code: 'validation_failed',
        status: 400,
        title: 'Validation failed',
        detail: 'body.email: Invalid email address',
        errors: [{ field: 'body.email', message: 'Invalid email address' }],
      });
    const error = await sendJson('POST', '/api/invitations', { email: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'body.email: Invalid email address',
      fieldErrors: [{ field: 'body.email', message: 'Invalid email address' }],
    });
  });

  it('keeps the problem title and the members it carries beyond the standard ones', async () => {
    answer = () =>
      problem(403, {
        type: 'https://proofpane.dev/problems/hitl_required',
        code: 'hitl_required',
        status: 403,
        title: 'A person must approve this call first',
        detail: 'the policy asks for approval of skill risk.register_risks',
        instance: '/api/skills/risk.register_risks/run',
        requestId: 'req_1',
        runId: 'run_7',
        hitlRequestId: 'hitl_3',
      });
    const error = (await sendJson('POST', '/api/skills/x/run', { input: {} }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.title).toBe('A person must approve this call first');
    expect(error.message).toBe('the policy asks for approval of skill risk.register_risks');
    expect(error.extensions).toEqual({ runId: 'run_7', hitlRequestId: 'hitl_3' });
    answer = () =>
      problem(429, { error: { message: 'slow down', code: 'rate_limited' } }, 'application/json');
    expect(await getJson('/v1/models').catch((e: unknown) => e)).toMatchObject({ title: '', extensions: {} });
  });

  it('reads the vendor error shape of /v1 answers, and plain text when the body is not JSON', async () => {
    answer = () =>
      problem(429, { error: { message: 'slow down', code: 'rate_limited' } }, 'application/json');
    await expect(getJson('/v1/models')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'slow down',
    });
    answer = () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    await expect(getJson('/api/runs')).rejects.toMatchObject({
      status: 502,
      code: 'error',
      message: '<html>Bad gateway</html>',
    });
    answer = () => new Response('', { status: 503, statusText: 'Service Unavailable' });
    await expect(getJson('/api/runs')).rejects.toMatchObject({
      code: 'error',
      message: 'Service Unavailable',
    });
  });

  it('ends the session on a 401, saying why, but not for an anonymous call', async () => {
    answer = () => problem(401, { code: 'unauthenticated', detail: 'wrong email or password' });
    session.current = signedIn;
    await expect(sendJson('POST', '/api/auth/login', {}, { anonymous: true })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(session.current).toEqual(signedIn);
    answer = () => problem(401, { code: 'unauthenticated', detail: 'the token expired' });
    await expect(getJson('/api/members')).rejects.toMatchObject({ status: 401 });
    expect(session.current).toBeNull();
    expect(session.notice).toBe('You were signed out: the token expired');
  });

  it('reports an unreachable server as a network error, and passes an abort through', async () => {
    answer = () => Promise.reject(new TypeError('fetch failed'));
    await expect(getJson('/api/runs')).rejects.toMatchObject({ status: 0, code: 'network' });
    answer = () => Promise.reject(new DOMException('aborted', 'AbortError'));
    const controller = new AbortController();
    await expect(getJson('/api/runs', undefined, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fetch.mock.calls[1]?.[1].signal).toBe(controller.signal);
  });

  it('answers undefined for a 204 and the parsed body otherwise', async () => {
    answer = () => new Response(null, { status: 204 });
    await expect(sendJson('DELETE', '/api/api-keys/key_1')).resolves.toBeUndefined();
    answer = () => Response.json({ version: 3 });
    await expect(sendJson('PUT', '/api/policy', {})).resolves.toEqual({ version: 3 });
    expect((await request('GET', '/api/policy')).status).toBe(200);
  });
});

describe('errorText', () => {
  it('is the message of an error and a plain sentence for anything else', () => {
    expect(errorText(new ApiError(409, 'conflict', 'already taken'))).toBe('already taken');
    expect(errorText('boom')).toBe('something went wrong');
  });
});

describe('download', () => {
  it('saves the body under the name the server gave, or the fallback', async () => {
    const clicked: { href: string; download: string }[] = [];
    const link = {
      href: '',
      download: '',
      click() {
        clicked.push({ href: this.href, download: this.download });
      },
      remove: vi.fn(),
    };
    vi.stubGlobal('document', { createElement: () => link, body: { append: vi.fn() } });
    vi.stubGlobal(
      'URL',
      Object.assign(class extends URL {}, { createObjectURL: () => 'blob:1', revokeObjectURL: vi.fn() }),
    );
    const named = new Response('a,b', {
      headers: { 'content-disposition': 'attachment; filename="audit-2026.csv"' },
    });
    expect(await download(named, 'export.csv')).toBe('audit-2026.csv');
    expect(await download(new Response('a,b'), 'export.csv')).toBe('export.csv');
    expect(clicked).toEqual([
      { href: 'blob:1', download: 'audit-2026.csv' },
      { href: 'blob:1', download: 'export.csv' },
    ]);
    expect(link.remove).toHaveBeenCalledTimes(2);
  });
});
