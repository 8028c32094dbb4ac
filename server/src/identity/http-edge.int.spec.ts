import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import { createIdentityTestApp } from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`the API edge on ${driver}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_BODY_LIMIT: '4096' } });
    });
    afterAll(() => t.dispose());

    it('answers malformed JSON with 400 malformed_json', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": "a@b.c", ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'malformed_json' });
    });

    it('names each failing field in a 400', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'not-an-email', password: 'short', orgName: 'X' },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.code).toBe('validation_failed');
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'body.email',
        'body.password',
      ]);
    });

    it('refuses too large a body with 413 and an unknown route with 404', async () => {
      const big = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'a@b.test', password: 'x'.repeat(5000), orgName: 'big' },
      });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 'payload_too_large' });
      const missing = await t.app.inject({ method: 'DELETE', url: '/api/members' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: 'not_found' });
    });

    it('publishes an OpenAPI 3 description of the identity routes and a docs page', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const spec = res.json();
      expect(spec.openapi).toMatch(/^3\./);
      for (const path of [
        '/api/auth/register',
        '/api/auth/login',
        '/api/auth/switch',
        '/api/orgs',
        '/api/members/{userId}',
        '/api/invitations',
        '/api/invitations/accept',
        '/api/api-keys',
        '/api/api-keys/{id}',
      ])
        expect(Object.keys(spec.paths)).toContain(path);
      expect(
        spec.paths['/api/auth/register'].post.requestBody.content['application/json'].schema.required,
      ).toEqual(expect.arrayContaining(['email', 'password', 'orgName']));
      expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toMatch(/text\/html/);
    });

    it('sends no CORS headers when no origin is configured', async () => {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/orgs',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe(`rate limits and CORS on ${driver}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createIdentityTestApp({
        driver,
        env: { PROOFPANE_AUTH_RATE_LIMIT: '3', PROOFPANE_CORS_ORIGINS: 'https://console.example' },
      });
    });
    afterAll(() => t.dispose());

    it('answers the auth routes with 429 and Retry-After once the limit is spent', async () => {
      const attempt = () =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'someone@example.test', password: 'wrong password' },
        });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt()).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    });

    it('allows the configured origin only', async () => {
      const allowed = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/members',
        headers: { origin: 'https://console.example', 'access-control-request-method': 'GET' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example');
      const other = await t.app.inject({
        method: 'GET',
        url: '/api/members',
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
}
