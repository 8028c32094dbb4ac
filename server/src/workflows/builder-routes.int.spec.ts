import type { WorkflowNodeTypeList } from '@proofpane/api';
import { nodeTypes, type WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const graph = (description = '$.input.description'): WorkflowGraph => ({
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

for (const driver of testDrivers) {
  describe(`workflow builder routes over HTTP on ${driver}`, () => {
    let t: TestApp;
    let base: string;
    let admin: Account;
    let member: string;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      admin = await registerAccount(t.app, { orgName: 'Canvas Makers' });
      member = (await createKey(t.app, { token: admin.token, role: 'member', name: 'reader' })).key;
    });
    afterAll(() => t.dispose());

    const call = async (
      method: string,
      path: string,
      body?: unknown,
      credential: string | null = admin.token,
    ) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(credential === null ? {} : { authorization: `Bearer ${credential}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: JSON.parse(await res.text()) as ReturnType<typeof JSON.parse> };
    };

    it('lists every engine node type with its config schema and edge labels, to members too', async () => {
      const listed = await call('GET', '/api/workflow-node-types', undefined, member);
      expect(listed.status).toBe(200);
      const types = listed.body.nodeTypes as WorkflowNodeTypeList['nodeTypes'];
      expect(types.map((n) => n.type)).toEqual([...nodeTypes]);
      const skill = types.find((n) => n.type === 'skill')!;
      const skillSchema = skill.configSchema as { type: string; required: string[] };
      expect(skillSchema.type).toBe('object');
      expect(skillSchema.required).toEqual(expect.arrayContaining(['skill', 'input']));
      expect(types.find((n) => n.type === 'hitl')!.edgeLabels).toEqual(['approved', 'denied', 'timeout']);
      const trigger = types.find((n) => n.type === 'trigger')!.configSchema as {
        properties: { kind: { enum: string[] } };
      };
      expect(trigger.properties.kind.enum).toEqual(expect.arrayContaining(['manual', 'schedule']));
      expect((await call('GET', '/api/workflow-node-types', undefined, null)).status).toBe(401);
    });

    it('validates a graph dry: problems name their node and field, and nothing is appended', async () => {
      const before = await t.runtime.store.head(admin.org);
      const good = await call('POST', '/api/workflows/validate', { graph: graph() }, member);
      expect(good).toEqual({ status: 200, body: { valid: true, errors: [] } });

      const bad = await call('POST', '/api/workflows/validate', {
        graph: graph('$.nodes.ghost.output.text'),
      });
      expect(bad.status).toBe(200);
      expect(bad.body.valid).toBe(false);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'unresolvable_mapping',
            node: 'classify',
            field: 'config.input.description',
          }),
        ]),
      );
      expect(await t.runtime.store.head(admin.org)).toEqual(before);
    });

    it('refuses a body that is not a graph at the edge', async () => {
      const refused = await call('POST', '/api/workflows/validate', { graph: { nodes: [], edges: [] } });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      const nul = await call('POST', '/api/workflows/validate', {
        graph: { nodes: [{ id: 'a\u0000', type: 'trigger', config: {} }], edges: [] },
      });
      expect(nul.status).toBe(400);
    });
  });
}
