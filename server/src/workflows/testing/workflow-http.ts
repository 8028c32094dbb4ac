import type { WorkflowGraph } from '@proofpane/commands';
import type { TestDriver } from '@proofpane/core/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  type Account,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../../identity/testing/identity-test-app.js';
import type { TestApp } from '../../testing/test-app.js';

/** A manual trigger taking a name and a description, then the use-case classifier on them. */
export const classifyGraph = (description = '$.input.description'): WorkflowGraph => ({
  nodes: [
    {
      id: 'start',
      type: 'trigger',
      config: {
        kind: 'manual',
        inputSchema: {
          type: 'object',
          properties: { name: { type: 'string' }, description: { type: 'string' } },
          required: ['name', 'description'],
        },
      },
    },
    {
      id: 'classify',
      type: 'skill',
      config: { skill: 'intake.classify_use_case', input: { name: '$.input.name', description } },
    },
  ],
  edges: [{ from: 'start', to: 'classify' }],
});

export interface WorkflowHttp {
  t: TestApp;
  /** The org's owner. */
  admin: Account;
  /** A member-role API key of the admin's org. */
  member: string;
  /** The owner of another org. */
  stranger: Account;
  /**
   * A request over real HTTP as `credential` (the admin's token unless told; an empty string sends
   * none). The body is typed as `JSON.parse` types its result, like `inject().json()` elsewhere.
   */
  call(
    method: string,
    path: string,
    body?: unknown,
    credential?: string,
  ): Promise<{ status: number; type: string; body: ReturnType<typeof JSON.parse> }>;
}

/**
 * One spec file's server for the workflow routes: a test app listening on loopback, an owner of
 * `orgName` with a member key, and a stranger in an org of their own; set up before the file's tests
 * and disposed after them. Its fields are read inside tests, once `beforeAll` has run.
 */
export function workflowHttp(options: { driver: TestDriver; orgName: string }): WorkflowHttp {
  let base = '';
  const fixture = {
    async call(method: string, path: string, body?: unknown, credential = fixture.admin.token) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(credential ? { authorization: `Bearer ${credential}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        body: JSON.parse(await res.text()) as ReturnType<typeof JSON.parse>,
      };
    },
  } as WorkflowHttp;
  beforeAll(async () => {
    fixture.t = await createIdentityTestApp({ driver: options.driver });
    await fixture.t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = fixture.t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    fixture.admin = await registerAccount(fixture.t.app, { orgName: options.orgName });
    fixture.member = (
      await createKey(fixture.t.app, { token: fixture.admin.token, role: 'member', name: 'reader' })
    ).key;
    fixture.stranger = await registerAccount(fixture.t.app, { orgName: 'Elsewhere' });
  });
  afterAll(() => fixture.t?.dispose());
  return fixture;
}
