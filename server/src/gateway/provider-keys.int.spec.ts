import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import {
  createGatewayTestApp,
  type GatewayTestApp,
  PLATFORM_OPENAI_KEY,
} from './testing/gateway-test-app.js';

const ORG_KEY = 'sk-org-own-openai-key-5b1f0c';

for (const driver of testDrivers) {
  describe(`per-org provider keys on ${driver}`, () => {
    let t: GatewayTestApp;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
    });
    afterAll(() => t.close());

    it('stores the key encrypted, never returns it, audits only its fingerprint, and uses it upstream', async () => {
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/provider-keys/openai',
        headers: auth(t.key),
        payload: { apiKey: ORG_KEY },
      });
      expect(put.statusCode).toBe(200);
      expect(put.body).not.toContain(ORG_KEY);
      const { fingerprint } = put.json();
      expect(fingerprint).toMatch(/^[0-9a-f]{8}$/);

      const { rows } = await sql<Record<string, unknown>>`SELECT * FROM secrets_provider_keys`.execute(
        t.runtime.database.db,
      );
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(ORG_KEY);
      expect(JSON.stringify(rows)).not.toContain(Buffer.from(ORG_KEY).toString('base64'));

      const list = await t.app.inject({ method: 'GET', url: '/api/provider-keys', headers: auth(t.key) });
      expect(list.json()).toEqual({
        providerKeys: [{ provider: 'openai', fingerprint, updatedAt: expect.any(String) }],
      });
      expect(list.body).not.toContain(ORG_KEY);

      const events = await t.runtime.store.readOrg({ org: t.account.org });
      expect(JSON.stringify(events)).not.toContain(ORG_KEY);
      expect(events.find((e) => e.type === 'cp.provider.key.set')?.data).toEqual({
        provider: 'openai',
        fingerprint,
      });

      const client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(t.openai.requests.at(-1)!.headers.authorization).toBe(`Bearer ${ORG_KEY}`);
      const models = (await client.models.list()).data.map((m) => m.id);
      expect(models).toEqual(
        expect.arrayContaining(['demo', 'openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5']),
      );
      expect(models.some((m) => m.startsWith('gemini/'))).toBe(false);
    });

    it('falls back to the platform key once the org key is removed', async () => {
      const del = await t.app.inject({
        method: 'DELETE',
        url: '/api/provider-keys/openai',
        headers: auth(t.key),
      });
      expect(del.statusCode).toBe(204);
      const again = await t.app.inject({
        method: 'DELETE',
        url: '/api/provider-keys/openai',
        headers: auth(t.key),
      });
      expect(again.statusCode).toBe(404);
      const client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(t.openai.requests.at(-1)!.headers.authorization).toBe(`Bearer ${PLATFORM_OPENAI_KEY}`);
      expect((await t.events(t.account.org, 'cp.provider.key.removed')).map((e) => e.data)).toEqual([
        { provider: 'openai' },
      ]);
    });

    it('refuses a provider that has neither a platform nor an org key with invalid_request, audited', async () => {
      const client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      const error = (await client.chat.completions
        .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(400);
      expect(error.code).toBe('invalid_request');
      const id = error.headers?.get('x-proofpane-request-id');
      const subject = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      expect(subject.map((e) => e.type)).toEqual(['cp.gate.policy.decided', 'cp.llm.call.failed']);
    });
  });
}
