import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createKey } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

type ApiError = InstanceType<typeof OpenAI.APIError>;

for (const driver of testDrivers) {
  describe(`policy gate and /api/policy on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    const put = (payload: unknown, key = t.key) =>
      t.app.inject({ method: 'PUT', url: '/api/policy', headers: auth(key), payload: payload as object });
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('starts from the default policy (version 0) and versions each update through an event', async () => {
      const first = await t.app.inject({ method: 'GET', url: '/api/policy', headers: auth(t.key) });
      expect(first.json()).toMatchObject({
        version: 0,
        document: { dlp: { EMAIL: 'mask', API_SECRET: 'block' } },
      });
      const res = await put({
        models: ['gpt-4o-mini', 'demo', 'claude-*'],
        dlp: { EMAIL: 'hitl', API_SECRET: 'block' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: 1 });
      const events = await t.events(t.account.org, 'cp.policy.updated');
      expect(events.map((e) => (e.data as { version: number }).version)).toEqual([1]);
      const bad = await put({ blockedPatterns: [{ name: 'x', pattern: '(a)\\1' }] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('validation_failed');
    });

    it('refuses a model the policy does not allow with policy_blocked (403), audited, never upstream', async () => {
      const before = t.openai.requests.length;
      const error = (await client.chat.completions
        .create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.status).toBe(403);
      expect(error.code).toBe('policy_blocked');
      expect(t.openai.requests.length).toBe(before);
      const id = error.headers?.get('x-proofpane-request-id');
      const [decided] = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      expect(decided?.data).toMatchObject({
        decision: 'block',
        code: 'policy_blocked',
        policyVersion: 1,
        rulesMatched: ['models'],
      });
    });

    it('answers hitl_required (403) with the request id to approve', async () => {
      const error = (await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'write to a@b.example.com' }] })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.status).toBe(403);
      expect(error.code).toBe('hitl_required');
      const id = error.headers?.get('x-proofpane-request-id') ?? '';
      expect((error.error as { request_id: string }).request_id).toBe(id);
      const approval = (error.error as { hitl_request_id: string }).hitl_request_id;
      expect(approval).toMatch(/^hitl_/);
      expect(error.message).toContain(approval);
      const [decided] = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      expect(decided?.data).toMatchObject({ decision: 'hitl', code: 'hitl_required', dlp: { EMAIL: 1 } });
    });

    it('applies a per-agent scope from x-proofpane-agent, and a key bound to an agent cannot switch scope', async () => {
      await put({ models: ['*'], agents: { hr_agent: { models: ['demo'] } } });
      const asHr = new OpenAI({
        apiKey: t.key,
        baseURL: `${t.url}/v1`,
        maxRetries: 0,
        defaultHeaders: { 'x-proofpane-agent': 'hr_agent' },
      });
      const refused = (await asHr.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as ApiError;
      expect(refused.code).toBe('policy_blocked');
      const ok = await asHr.chat.completions.create({
        model: 'demo',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(ok.choices[0]!.message.content).toMatch(/^\[demo\]/);
      const bound = await t.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: auth(t.account.token),
        payload: { name: 'hr', role: 'member', agent: 'hr_agent' },
      });
      const hrKey = bound.json().key as string;
      const escaping = new OpenAI({
        apiKey: hrKey,
        baseURL: `${t.url}/v1`,
        maxRetries: 0,
        defaultHeaders: { 'x-proofpane-agent': 'other' },
      });
      const denied = (await escaping.chat.completions
        .create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as ApiError;
      expect(denied.status).toBe(400);
      const boundOnly = new OpenAI({ apiKey: hrKey, baseURL: `${t.url}/v1`, maxRetries: 0 });
      const scoped = (await boundOnly.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as ApiError;
      expect(scoped.code).toBe('policy_blocked');
    });

    it('dry-runs a request: the masked text and the decision, nothing recorded', async () => {
      await put({ dlp: { EMAIL: 'mask', PHONE: 'mask' } });
      const before = (await t.runtime.store.readOrg({ org: t.account.org })).length;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/policy/evaluate',
        headers: auth(t.key),
        payload: {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'call +1 415 555 0132 or mail x@y.example.org' }],
        },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ decision: 'allow', dlp: { EMAIL: 1, PHONE: 1 } });
      expect(res.json().maskedTexts[0]).toBe('call [PHONE_1] or mail [EMAIL_1]');
      expect((await t.runtime.store.readOrg({ org: t.account.org })).length).toBe(before);
    });

    it('lets only admins change the policy', async () => {
      const member = await createKey(t.app, { token: t.account.token, role: 'member' });
      const res = await put({ models: ['*'] }, member.key);
      expect(res.statusCode).toBe(403);
    });
  });
}
