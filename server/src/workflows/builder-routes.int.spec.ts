import type { WorkflowNodeTypeList } from '@proofpane/api';
import { nodeTypes } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { describe, expect, it } from 'vitest';
import { classifyGraph as graph, workflowHttp } from './testing/workflow-http.js';

for (const driver of testDrivers) {
  describe(`workflow builder routes over HTTP on ${driver}`, () => {
    const http = workflowHttp({ driver, orgName: 'Canvas Makers' });
    const { call } = http;

    it('lists every engine node type with its config schema and edge labels, to members too', async () => {
      const listed = await call('GET', '/api/workflow-node-types', undefined, http.member);
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
      expect((await call('GET', '/api/workflow-node-types', undefined, '')).status).toBe(401);
    });

    it('validates a graph dry: problems name their node and field, and nothing is appended', async () => {
      const before = await http.t.runtime.store.head(http.admin.org);
      const good = await call('POST', '/api/workflows/validate', { graph: graph() }, http.member);
      expect({ status: good.status, body: good.body }).toEqual({
        status: 200,
        body: { valid: true, errors: [] },
      });

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
      expect(await http.t.runtime.store.head(http.admin.org)).toEqual(before);
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
