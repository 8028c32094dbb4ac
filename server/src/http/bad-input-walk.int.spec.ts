import { PLATFORM_ORG, type PositionedEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import { type Json, sampleFromSchema } from '../testing/schema-sample.js';
import type { TestApp } from '../testing/test-app.js';

/**
 * Bad input on every route of the route table, as an org owner: NUL and unpaired surrogates in each
 * string, strings of almost a megabyte, wrong types, NaN and Infinity, negative numbers, `%00` in path
 * params and queries. None may answer 5xx, and a request answered 4xx may append no event, except the
 * refusals the docs say are audited (below).
 */

type Schema = Record<string, unknown>;
type Path = (string | number)[];

/**
 * Refusals the docs say are recorded: the vendor routes audit every refusal (docs/gateway.md, "Errors"),
 * a governed tool call its refusal (docs/architecture.md, `cp.tool.*`), and a refused sign-in is
 * recorded for the org's admins (docs/api.md, "Errors").
 */
const AUDITED_REFUSALS: Record<string, readonly string[]> = {
  'POST /v1/chat/completions': ['cp.llm.call.failed', 'cp.gate.policy.decided', 'cp.gate.budget.refused'],
  'POST /v1/messages': ['cp.llm.call.failed', 'cp.gate.policy.decided', 'cp.gate.budget.refused'],
  'POST /v1/responses': ['cp.llm.call.failed', 'cp.gate.policy.decided', 'cp.gate.budget.refused'],
  'POST /v1/embeddings': ['cp.llm.call.failed', 'cp.gate.policy.decided', 'cp.gate.budget.refused'],
  'POST /v1/messages/count_tokens': ['cp.llm.call.failed', 'cp.gate.policy.decided'],
  'POST /api/tools/call': ['cp.tool.refused'],
  'POST /api/auth/login': ['cp.identity.login.failed'],
};

/** The vendor routes have no JSON schema in the OpenAPI document (they parse their wire formats). */
const VENDOR_BODIES: Record<string, Json> = {
  'POST /v1/chat/completions': { model: 'demo', messages: [{ role: 'user', content: 'walk' }] },
  'POST /v1/messages': { model: 'demo', max_tokens: 16, messages: [{ role: 'user', content: 'walk' }] },
};

const ALMOST_A_MEGABYTE = 1_048_576 - 8_192;

/** Every leaf and container of a sampled body, with its path. */
function nodes(value: Json, path: Path = []): { path: Path; value: Json }[] {
  const here = path.length > 0 ? [{ path, value }] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => nodes(v, [...path, i]))];
  if (value && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...path, k]))];
  return here;
}

function replaced(body: Json, path: Path, value: Json): Json {
  const copy = structuredClone(body);
  let target = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, Json>;
  target[path.at(-1)!] = value;
  return copy;
}

const PLACEHOLDER = '"__walk_raw__"';

interface Probe {
  what: string;
  request: InjectOptions;
  /** The field a 400 must name (the NUL and surrogate probes). */
  names?: string;
}

function bodyProbes(body: Json, base: InjectOptions): Probe[] {
  const send = (what: string, payload: Json, names?: string): Probe => ({
    what,
    request: {
      ...base,
      payload: JSON.stringify(payload),
      headers: { ...base.headers, 'content-type': 'application/json' },
    },
    ...(names ? { names } : {}),
  });
  const raw = (what: string, path: Path, text: string): Probe => ({
    what,
    request: {
      ...base,
      payload: JSON.stringify(replaced(body, path, '__walk_raw__')).replace(PLACEHOLDER, text),
      headers: { ...base.headers, 'content-type': 'application/json' },
    },
  });
  const probes: Probe[] = [
    send('the sampled body', body),
    send('an array body', []),
    send('a string body', 'walk'),
    send('a null body', null),
    {
      what: 'NaN as the body',
      request: { ...base, payload: 'NaN', headers: { ...base.headers, 'content-type': 'application/json' } },
    },
  ];
  for (const { path, value } of nodes(body)) {
    const field = `body.${path.join('.')}`;
    if (typeof value === 'string') {
      probes.push(send(`NUL in ${field}`, replaced(body, path, `${value}\u0000`), field));
      probes.push(send(`an unpaired surrogate in ${field}`, replaced(body, path, `\ud800${value}`), field));
      probes.push(send(`almost a megabyte in ${field}`, replaced(body, path, 'a'.repeat(ALMOST_A_MEGABYTE))));
      probes.push(send(`a number in ${field}`, replaced(body, path, 12345)));
    } else if (typeof value === 'number') {
      probes.push(send(`-1 in ${field}`, replaced(body, path, -1)));
      probes.push(send(`-0.5 in ${field}`, replaced(body, path, -0.5)));
      probes.push(send(`-1e308 in ${field}`, replaced(body, path, -1e308)));
      probes.push(send(`a string in ${field}`, replaced(body, path, '12')));
      probes.push(send(`null in ${field}`, replaced(body, path, null)));
      probes.push(raw(`NaN in ${field}`, path, 'NaN'));
      probes.push(raw(`Infinity (1e999) in ${field}`, path, '1e999'));
      probes.push(raw(`-Infinity (-1e999) in ${field}`, path, '-1e999'));
    } else if (typeof value === 'boolean') {
      probes.push(send(`a string in ${field}`, replaced(body, path, 'true')));
    } else if (Array.isArray(value)) {
      probes.push(send(`an object in ${field}`, replaced(body, path, {})));
    } else if (value && typeof value === 'object') {
      probes.push(send(`an array in ${field}`, replaced(body, path, [])));
      probes.push(
        send(`a NUL key in ${field}`, replaced(body, [...path, 'k\u0000'], 'walk'), `${field}.k\\u0000`),
      );
    }
  }
  if (body && typeof body === 'object' && !Array.isArray(body))
    probes.push(send('a NUL key in body', { ...body, 'k\u0000': 'walk' }, 'body.k\\u0000'));
  return probes;
}

const withinTime = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref()),
  ]);

for (const driver of testDrivers) {
  describe(`bad input over the whole route table on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let deviceToken: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_CHECKPOINT_INTERVAL_S: '0' } });
      owner = await registerAccount(t.app, { orgName: 'Walk Org' });
      const code = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pairing-codes',
        headers: auth(owner.token),
      });
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/devices/pair',
        payload: { code: code.json().code, name: 'walk device', platform: 'linux' },
      });
      deviceToken = paired.json().token;
      ids.device = paired.json().deviceId;
      const server = await t.app.inject({
        method: 'POST',
        url: '/api/mcp/servers',
        headers: auth(owner.token),
        payload: { name: 'walk server', transport: 'stdio', command: 'walk' },
      });
      ids.mcp = server.json().id;
    }, 120_000);
    afterAll(() => t?.dispose());

    it('answers no bad input with 5xx, and appends nothing for a refusal the docs do not say is audited', async () => {
      const document = t.app.swagger() as {
        paths: Record<
          string,
          Record<
            string,
            {
              parameters?: { in: string; name: string }[];
              requestBody?: { content?: Record<string, { schema: Schema }> };
            }
          >
        >;
      };
      const routes = t.app.routeTable.filter(
        (r) =>
          !['OPTIONS', 'HEAD'].includes(r.method) && !r.url.startsWith('/api/docs') && !r.url.endsWith('*'),
      );
      expect(routes.length).toBeGreaterThan(50);
      // Real ids where a probe that passes validation should reach the handler; never for a DELETE,
      // which would revoke the device the MCP routes authenticate with.
      const paramValue = (method: string, route: string, name: string) => {
        if (method === 'DELETE') return 'walk_missing';
        if (route.startsWith('/api/devices/:id')) return ids.device!;
        if (route.startsWith('/api/mcp/servers/:id')) return ids.mcp!;
        if (name === 'provider') return 'openai';
        return 'walk_missing';
      };

      const appendedAfter = (cursor: string) => t.runtime.store.readAll({ after: cursor, limit: 100 });
      const quiet = async () => {
        for (let tries = 0; tries < 30; tries++) {
          const cursor = await t.runtime.store.latestCursor();
          await new Promise((resolve) => setTimeout(resolve, 100));
          if ((await appendedAfter(cursor)).length === 0) return;
        }
        throw new Error('the log never went quiet');
      };
      const again = async (key: string, probe: Probe) => {
        await quiet();
        const before = await t.runtime.store.latestCursor();
        const res = await t.app.inject(probe.request);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { res, problem: judge({ key, probe, res, appended: await appendedAfter(before) }) };
      };

      const failures: string[] = [];
      const streaming = new Set<string>();
      let sent = 0;
      for (const route of routes) {
        const key = `${route.method} ${route.url}`;
        if (streaming.has(key)) continue;
        const openApiPath = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        const operation = document.paths[openApiPath]?.[route.method.toLowerCase()];
        const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
        const queries = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const credential =
          route.url.startsWith('/api/mcp/gate') || key === 'POST /api/mcp/activity'
            ? deviceToken
            : owner.token;
        const url = (values: Record<string, string>) =>
          route.url.replace(
            /:([A-Za-z0-9_]+)/g,
            (_, name: string) =>
              values[name] ?? encodeURIComponent(paramValue(route.method, route.url, name)),
          );
        const base: InjectOptions = {
          method: route.method as InjectOptions['method'],
          url: url({}),
          headers: auth(credential),
        };

        const probes: Probe[] = [];
        for (const name of params)
          probes.push({
            what: `%00 in params.${name}`,
            request: { ...base, url: url({ [name]: 'walk%00' }) },
            names: `params.${name}`,
          });
        for (const name of params)
          probes.push({
            what: `a broken escape in params.${name}`,
            request: { ...base, url: url({ [name]: '%ED%A0%80' }) },
          });
        for (const name of [...queries, 'walk']) {
          probes.push({
            what: `%00 in query.${name}`,
            request: { ...base, url: `${base.url}?${name}=%00` },
            names: `query.${name}`,
          });
          for (const value of ['-1', 'NaN', '1e999', '-1e308', 'a'.repeat(10_000), '%ED%A0%80'])
            probes.push({
              what: `${value.slice(0, 12)} in query.${name}`,
              request: { ...base, url: `${base.url}?${name}=${value}` },
            });
        }
        const schema = operation?.requestBody?.content?.['application/json']?.schema;
        const body = VENDOR_BODIES[key] ?? (schema ? sampleFromSchema(schema) : undefined);
        if (body !== undefined) probes.push(...bodyProbes(body, base));
        if (key === 'POST /api/tools/call')
          for (const header of ['x-proofpane-agent', 'x-proofpane-hitl'])
            probes.push({
              what: `NUL in headers.${header}`,
              request: {
                ...base,
                headers: { ...base.headers, [header]: 'walk\u0000' },
                payload: body as object,
              },
              names: `headers.${header}`,
            });

        for (const probe of probes) {
          const before = await t.runtime.store.latestCursor();
          const res = await withinTime(t.app.inject(probe.request), 5_000);
          sent += 1;
          if (res === 'timed out') {
            // A stream that stays open accepted its input; nothing more to learn from it.
            streaming.add(key);
            break;
          }
          let verdict = { res, problem: judge({ key, probe, res, appended: await appendedAfter(before) }) };
          if (verdict.problem && res.statusCode >= 400 && res.statusCode < 500) {
            // An accepted request may finish its audit after its answer (a settled call), and on
            // PostgreSQL a transaction can become visible after one that committed later: the events
            // seen may be an earlier request's. The same refusal is judged again on a quiet log.
            verdict = await again(key, probe);
          }
          if (verdict.problem)
            failures.push(`${key} — ${probe.what} → ${verdict.res.statusCode}: ${verdict.problem}`);
        }
      }
      expect(sent).toBeGreaterThan(1_000);
      expect(failures).toEqual([]);
      // The walk's own sign-in failures aside, the owner's org chain must still verify.
      expect((await t.runtime.store.verifyChain({ org: owner.org })).ok).toBe(true);
      expect((await t.runtime.store.verifyChain({ org: PLATFORM_ORG })).ok).toBe(true);
    }, 600_000);
  });
}

function judge(options: {
  key: string;
  probe: Probe;
  res: LightMyRequestResponse;
  appended: PositionedEvent[];
}): string | undefined {
  const { key, probe, res, appended } = options;
  if (res.statusCode >= 500) return `server error ${res.body.slice(0, 300)}`;
  if (probe.names) {
    if (res.statusCode !== 400) return `expected 400 naming ${probe.names}`;
    if (!key.includes(' /v1/')) {
      const body = res.json() as { code?: string; errors?: { field: string }[] };
      if (body.code !== 'validation_failed') return `expected validation_failed, got ${body.code}`;
      if (!body.errors?.some((e) => e.field === probe.names))
        return `the problem does not name ${probe.names}: ${res.body.slice(0, 300)}`;
    }
  }
  if (res.statusCode >= 400 && appended.length > 0) {
    const allowed = AUDITED_REFUSALS[key] ?? [];
    const unexpected = appended.map((p) => p.event.type).filter((type) => !allowed.includes(type));
    if (unexpected.length > 0) return `a refusal appended ${unexpected.join(', ')}`;
  }
  return undefined;
}
