import type { WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { describe, expect, it } from 'vitest';
import { classifyGraph as graph, workflowHttp } from '../workflows/testing/workflow-http.js';

const PROPOSE = '/api/workflows/builder/propose';
const SECRET_WORDS = 'ask-the-builder-zebra-7731';

for (const driver of testDrivers) {
  describe(`the workflow AI Builder over HTTP on ${driver}`, () => {
    const http = workflowHttp({ driver, orgName: 'Builders' });
    const { call } = http;

    it("applies the demo provider's proposal, records its hashes and not its words, and a save of it is traceable", async () => {
      const proposed = await call('POST', PROPOSE, {
        definition: graph(),
        message: `Add an approval step before classify (${SECRET_WORDS})`,
      });
      expect(proposed.status).toBe(200);
      expect(proposed.body).toMatchObject({
        summary: 'Add an approval step (approval) before classify',
        calls: 1,
        model: 'demo/demo',
        proposalId: expect.any(String),
      });
      const next = proposed.body.definition as WorkflowGraph;
      expect(next.nodes.map((n) => n.id)).toEqual(['start', 'classify', 'approval']);
      expect(next.edges).toEqual([
        { from: 'start', to: 'approval' },
        { from: 'approval', to: 'classify', when: 'approved' },
      ]);

      const events = await http.t.runtime.store.readOrg({ org: http.admin.org });
      const recorded = events.filter((e) => e.type === 'cp.workflow.builder.proposed');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        subject: `workflow-builder/${proposed.body.proposalId}`,
        actor: { kind: 'user' },
        data: {
          proposalId: proposed.body.proposalId,
          baseHash: proposed.body.baseHash,
          resultHash: proposed.body.resultHash,
          ops: proposed.body.patch.length,
          calls: 1,
          provider: 'demo',
        },
      });
      const governed = events.filter((e) => e.type === 'cp.llm.call.completed');
      expect(governed.map((e) => (e.data as { route: string }).route)).toContain('workflow-builder');
      const builderEvents = JSON.stringify(recorded);
      expect(builderEvents).not.toContain(SECRET_WORDS);
      expect(builderEvents).not.toContain(proposed.body.summary);

      // Accepting is saving: the saved version's hash is the proposal's result hash.
      const created = await call('POST', '/api/workflows', { name: 'Intake', graph: graph() });
      const saved = await call('PUT', `/api/workflows/${created.body.id}`, { graph: next });
      expect(saved.status).toBe(200);
      const latest = saved.body.versions.find(
        (v: { version: number }) => v.version === saved.body.latestVersion,
      );
      expect(latest.hash).toBe(proposed.body.resultHash);
    });

    it('refuses, after one repair turn, a patch that leaves an invalid graph, as problem+json', async () => {
      const before = (await http.t.runtime.store.readOrg({ org: http.admin.org })).length;
      const refused = await call('POST', PROPOSE, { definition: graph(), message: 'remove start' });
      expect(refused.status).toBe(422);
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'workflow_patch_rejected', calls: 2 });
      expect(refused.body.problems.map((p: { code: string }) => p.code)).toContain('trigger_count');
      expect(refused.body.errors[0]).toMatchObject({ field: 'proposal', message: expect.any(String) });
      const after = await http.t.runtime.store.readOrg({ org: http.admin.org });
      const added = after.slice(before).map((e) => e.type);
      expect(added).not.toContain('cp.workflow.builder.proposed');
      expect(added.filter((type) => type === 'cp.llm.call.completed')).toHaveLength(2);
    });

    it('answers an empty patch for a request the demo does not know, recording nothing', async () => {
      const answered = await call('POST', PROPOSE, { definition: graph(), message: 'make it faster' });
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ proposalId: null, patch: [] });
      expect(answered.body.definition).toEqual(graph());
    });

    it('keeps proposals to the caller: members and strangers cannot act in the org, each org sees its own', async () => {
      const asMember = await call(
        'POST',
        PROPOSE,
        { definition: graph(), message: 'add an approval' },
        http.member,
      );
      expect(asMember.status).toBe(403);
      const anonymous = await call('POST', PROPOSE, { definition: graph(), message: 'add an approval' }, '');
      expect(anonymous.status).toBe(401);

      const theirs = await call(
        'POST',
        PROPOSE,
        { definition: graph(), message: 'add an approval step before classify' },
        http.stranger.token,
      );
      expect(theirs.status).toBe(200);
      const ours = (await http.t.runtime.store.readOrg({ org: http.admin.org })).map((e) => e.subject);
      expect(ours).not.toContain(`workflow-builder/${theirs.body.proposalId}`);
      const strangers = (await http.t.runtime.store.readOrg({ org: http.stranger.org })).map(
        (e) => e.subject,
      );
      expect(strangers).toContain(`workflow-builder/${theirs.body.proposalId}`);
    });

    it.each([
      ['a NUL in the message', { definition: graph(), message: 'add\u0000approval' }],
      ['a message over 2,000 characters', { definition: graph(), message: 'a'.repeat(2_001) }],
      ['a graph without nodes', { definition: { nodes: [], edges: [] }, message: 'add an approval' }],
      ['an unknown member', { definition: graph(), message: 'add an approval', extra: true }],
      [
        'too long a history',
        {
          definition: graph(),
          message: 'add an approval',
          history: Array.from({ length: 21 }, () => ({ role: 'user', text: 'hi' })),
        },
      ],
    ])('refuses %s at the edge', async (_name, body) => {
      const refused = await call('POST', PROPOSE, body);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toMatch(/validation_failed|bad_request/);
    });
  });
}
