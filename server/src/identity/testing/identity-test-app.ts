import type { TestDriver } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

/** Test defaults: a cheap scrypt cost and a rate limit no ordinary spec reaches. */
export const identityTestEnv = {
  PROOFPANE_SCRYPT_COST: '10',
  PROOFPANE_AUTH_RATE_LIMIT: '10000',
  PROOFPANE_JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
};

export const createIdentityTestApp = (options: {
  driver: TestDriver;
  env?: Record<string, string>;
}): Promise<TestApp> =>
  createTestApp({ driver: options.driver, env: { ...identityTestEnv, ...options.env } });

/** A password the strength check accepts, for specs about something else. */
export const strongTestPassword = 'quartz lantern meadow 7';

export const auth = (credential: string) => ({ authorization: `Bearer ${credential}` });

export interface Account {
  token: string;
  userId: string;
  org: string;
  email: string;
  password: string;
}

let counter = 0;

/** Registers a fresh user and org through the API. */
export async function registerAccount(
  app: FastifyInstance,
  options: { orgName?: string; email?: string; password?: string } = {},
): Promise<Account> {
  counter += 1;
  const email = options.email ?? `user${counter}-${Date.now()}@example.test`;
  const password = options.password ?? `correct horse ${counter}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password, orgName: options.orgName ?? `Org ${counter}` },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { token: body.token, userId: body.user.id, org: body.org.id, email, password };
}

/** Creates an org API key through the API and returns the key. */
export async function createKey(
  app: FastifyInstance,
  options: { token: string; role?: 'admin' | 'member'; name?: string },
): Promise<{ id: string; key: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/api-keys',
    headers: auth(options.token),
    payload: { name: options.name ?? 'ci', role: options.role ?? 'admin' },
  });
  if (res.statusCode !== 201) throw new Error(`key creation failed: ${res.statusCode} ${res.body}`);
  return res.json();
}
