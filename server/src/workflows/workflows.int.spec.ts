import { graphHash, type WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { registerAccount } from '../identity/testing/identity-test-app.js';
import { rebuildInlineTables } from '../inline-tables/rebuild-tables.js';
import { classifyGraph as graph, workflowHttp } from './testing/workflow-http.js';

const withReview = (): WorkflowGraph => {
  const g = graph();
  g.nodes.push({
    id: 'review',
    type: 'hitl',
    config: { summary: '$.nodes.classify.output.rationale', timeoutSeconds: 3600 },
  });
  g.edges.push({ from: 'classify', to: 'review' });
  return g;
};

for (const driver of testDrivers) {
  describe(`workflow definitions over HTTP on ${driver}`, () => {
    const http = workflowHttp({ driver, orgName: 'Builders' });
    const { call } = http;
    const create = async (name: string, g: WorkflowGraph = graph(), credential = http.admin.token) =>
      call('POST', '/api/workflows', { name, graph: g }, credential);
    const head = (org = http.admin.org) => http.t.runtime.store.head(org);

    it('keeps every version: drafts, a publish with the hash of the canonical graph, a diff, deprecation', async () => {
      const created = await create('Use case intake');
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.body).toMatchObject({
        name: 'Use case intake',
        status: 'draft',
        latestVersion: 1,
        publishedVersion: null,
        versions: [{ version: 1, status: 'draft', hash: graphHash(graph()), savedBy: http.admin.userId }],
        graph: graph(),
      });

      const saved = await call('PUT', `/api/workflows/${id}`, { graph: withReview() });
      expect(saved.status).toBe(200);
      expect(saved.body.latestVersion).toBe(2);
      const again = await call('PUT', `/api/workflows/${id}`, { graph: withReview() });
      expect(again.body.versions).toHaveLength(2);

      const published = await call('POST', `/api/workflows/${id}/publish`);
      expect({ status: published.status, body: published.body }).toEqual({
        status: 200,
        body: { version: 2, hash: graphHash(withReview()) },
      });
      const twice = await call('POST', `/api/workflows/${id}/publish`);
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ code: 'workflow_lifecycle' });

      const detail = await call('GET', `/api/workflows/${id}`, undefined, http.member);
      expect(detail.body).toMatchObject({
        status: 'published',
        publishedVersion: 2,
        publishedHash: graphHash(withReview()),
      });
      expect(detail.body.versions.map((v: { status: string }) => v.status)).toEqual(['draft', 'published']);
      const v1 = await call('GET', `/api/workflows/${id}/versions/1`, undefined, http.member);
      expect(v1.body).toMatchObject({ version: 1, graph: graph() });

      const diff = await call('GET', `/api/workflows/${id}/diff?from=1&to=2`, undefined, http.member);
      expect(diff.body).toMatchObject({
        from: 1,
        to: 2,
        nodes: { added: [{ id: 'review', type: 'hitl' }], removed: [], changed: [] },
        edges: { added: [{ from: 'classify', to: 'review' }], removed: [], changed: [] },
      });
      expect((await call('GET', `/api/workflows/${id}/diff`)).body).toMatchObject({ from: 1, to: 2 });
      const missing = await call('GET', `/api/workflows/${id}/diff?from=1&to=9`);
      expect(missing).toMatchObject({ status: 404, body: { code: 'workflow_version_not_found' } });

      const deprecated = await call('POST', `/api/workflows/${id}/deprecate`);
      expect(deprecated.body).toMatchObject({ id, status: 'deprecated', publishedVersion: 2 });
      expect((await call('POST', `/api/workflows/${id}/deprecate`)).body.code).toBe('workflow_lifecycle');
      expect((await call('PUT', `/api/workflows/${id}`, { graph: graph() })).body.code).toBe(
        'workflow_lifecycle',
      );

      const events = await http.t.runtime.store.readSubject({
        org: http.admin.org,
        subject: `workflow/${id}`,
      });
      expect(events.map((e) => e.type)).toEqual([
        'cp.workflow.created',
        'cp.workflow.draft.saved',
        'cp.workflow.draft.saved',
        'cp.workflow.published',
        'cp.workflow.deprecated',
      ]);
      expect(events.every((e) => e.actor.id === http.admin.userId)).toBe(true);
      expect((await http.t.runtime.store.verifyChain({ org: http.admin.org })).ok).toBe(true);
    });

    it('refuses a malformed graph naming its node, edge or field, and records nothing', async () => {
      const before = await head();
      const cyclic = withReview();
      cyclic.edges.push({ from: 'review', to: 'classify' });
      const refused = await create('cyclic', cyclic);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'workflow_invalid' });
      expect(refused.body.errors).toContainEqual(
        expect.objectContaining({ code: 'cycle', node: 'classify' }),
      );

      const unknownSkill = graph();
      unknownSkill.nodes[1]!.config.skill = 'intake.does_not_exist';
      expect((await create('unknown skill', unknownSkill)).body.errors).toEqual([
        {
          code: 'unknown_skill',
          node: 'classify',
          field: 'config.skill',
          message: 'no skill intake.does_not_exist in the catalogue',
        },
      ]);
      expect((await create('bad mapping', graph('$.nodes.ghost.output.text'))).body.errors).toEqual([
        expect.objectContaining({
          code: 'unresolvable_mapping',
          node: 'classify',
          field: 'config.input.description',
        }),
      ]);
      const mismatch = await create('mismatch', graph('$.nodes.start.output'));
      expect(mismatch.body.errors).toEqual([
        expect.objectContaining({ code: 'schema_mismatch', node: 'classify' }),
      ]);
      const oddType = graph();
      oddType.nodes.push({ id: 'odd', type: 'loop' as never, config: {} });
      oddType.edges.push({ from: 'classify', to: 'odd' });
      expect((await create('odd', oddType)).body.errors).toEqual([
        expect.objectContaining({ code: 'unknown_node_type', node: 'odd', field: 'type' }),
      ]);

      const badId = await create('bad id', { ...graph(), nodes: [{ ...graph().nodes[0]!, id: 'a.b' }] });
      expect(badId.status).toBe(400);
      expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'body.graph.nodes.0.id' })]);
      const huge: WorkflowGraph = {
        nodes: Array.from({ length: 101 }, (_, i) => ({ id: `n${i}`, type: 'tool' as const, config: {} })),
        edges: [],
      };
      const tooBig = await create('huge', huge);
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.errors[0].field).toBe('body.graph.nodes');
      expect(await head()).toEqual(before);
    });

    it('lets members read and only admins change', async () => {
      const id = (await create('Readable')).body.id as string;
      const before = await head();
      expect((await call('GET', '/api/workflows', undefined, http.member)).status).toBe(200);
      expect((await call('GET', `/api/workflows/${id}`, undefined, http.member)).status).toBe(200);
      expect((await call('GET', '/api/workflow-templates', undefined, http.member)).status).toBe(200);
      for (const [method, path, body] of [
        ['POST', '/api/workflows', { name: 'x', graph: graph() }],
        ['PUT', `/api/workflows/${id}`, { graph: withReview() }],
        ['POST', `/api/workflows/${id}/publish`, undefined],
        ['POST', `/api/workflows/${id}/deprecate`, undefined],
        ['POST', '/api/workflows/from-template', { templateId: 'intake-use-case' }],
      ] as const) {
        const res = await call(method, path, body, http.member);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      expect(await head()).toEqual(before);
    });

    it('shows another org nothing and lets it change nothing', async () => {
      const id = (await create('Private flow')).body.id as string;
      const before = await head();
      const as = (method: string, path: string, body?: unknown) =>
        call(method, path, body, http.stranger.token);
      for (const [method, path, body] of [
        ['GET', `/api/workflows/${id}`, undefined],
        ['GET', `/api/workflows/${id}/versions/1`, undefined],
        ['GET', `/api/workflows/${id}/diff?from=1&to=1`, undefined],
        ['PUT', `/api/workflows/${id}`, { graph: withReview() }],
        ['POST', `/api/workflows/${id}/publish`, undefined],
        ['POST', `/api/workflows/${id}/deprecate`, undefined],
      ] as const) {
        const res = await as(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.code).toBe('workflow_not_found');
      }
      const listed = await as('GET', '/api/workflows');
      expect(listed.body.workflows.map((w: { id: string }) => w.id)).not.toContain(id);
      expect(await head()).toEqual(before);
      expect((await call('GET', `/api/workflows/${id}`)).body.latestVersion).toBe(1);
    });

    it('pages the list newest first and refuses a cursor it did not give', async () => {
      const org = await registerAccount(http.t.app, { orgName: 'Pages' });
      const ids: string[] = [];
      for (const name of ['one', 'two', 'three']) ids.push((await create(name, graph(), org.token)).body.id);
      const first = await call('GET', '/api/workflows?limit=2', undefined, org.token);
      expect(first.body.workflows.map((w: { name: string }) => w.name)).toEqual(['three', 'two']);
      const rest = await call('GET', `/api/workflows?limit=2&after=${first.body.next}`, undefined, org.token);
      expect(rest.body).toEqual({
        workflows: [expect.objectContaining({ id: ids[0], name: 'one' })],
        next: null,
      });
      await call('POST', `/api/workflows/${ids[1]}/publish`, undefined, org.token);
      const published = await call('GET', '/api/workflows?status=published', undefined, org.token);
      expect(published.body.workflows.map((w: { id: string }) => w.id)).toEqual([ids[1]]);
      const bad = await call('GET', '/api/workflows?after=not-a-cursor', undefined, org.token);
      expect(bad).toMatchObject({
        status: 400,
        body: { code: 'validation_failed', errors: [{ field: 'query.after' }] },
      });
    });

    it('clones a template into the org, and names an unknown one', async () => {
      const templates = await call('GET', '/api/workflow-templates', undefined, http.member);
      const intake = templates.body.templates.find((tpl: { id: string }) => tpl.id === 'intake-use-case');
      expect(intake).toMatchObject({ category: 'intake', sampleInput: { name: expect.any(String) } });
      const cloned = await call('POST', '/api/workflows/from-template', { templateId: 'intake-use-case' });
      expect(cloned.status).toBe(201);
      expect(cloned.body).toMatchObject({
        name: intake.name,
        templateId: 'intake-use-case',
        latestVersion: 1,
        graph: intake.graph,
      });
      const renamed = await call('POST', '/api/workflows/from-template', {
        templateId: 'intake-use-case',
        name: 'Mine',
      });
      expect(renamed.body.name).toBe('Mine');
      const unknown = await call('POST', '/api/workflows/from-template', { templateId: 'nope' });
      expect(unknown).toMatchObject({ status: 404, body: { code: 'workflow_template_not_found' } });
    });

    it('lets one of two racing publishes win', async () => {
      const id = (await create('Raced')).body.id as string;
      const outcomes = await Promise.all([
        call('POST', `/api/workflows/${id}/publish`),
        call('POST', `/api/workflows/${id}/publish`),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409]);
      const events = await http.t.runtime.store.readSubject({
        org: http.admin.org,
        subject: `workflow/${id}`,
      });
      expect(events.filter((e) => e.type === 'cp.workflow.published')).toHaveLength(1);
    });

    it('rebuilds the tables from the events, row for row', async () => {
      const db = http.t.runtime.database.db;
      const snapshot = async () => ({
        workflows: (await sql`SELECT * FROM workflows ORDER BY id`.execute(db)).rows,
        versions: (await sql`SELECT * FROM workflow_versions ORDER BY workflow_id, version`.execute(db)).rows,
      });
      const before = await snapshot();
      expect(before.workflows.length).toBeGreaterThan(5);
      await sql`UPDATE workflows SET status = 'draft', name = 'tampered'`.execute(db);
      await sql`DELETE FROM workflow_versions WHERE version = 1`.execute(db);
      expect(await snapshot()).not.toEqual(before);
      const [report] = await rebuildInlineTables({
        db,
        store: http.t.runtime.store,
        reservationTtlSeconds: 60,
        names: ['workflows'],
      });
      expect(report).toMatchObject({ name: 'workflows', rows: { workflows: before.workflows.length } });
      expect(await snapshot()).toEqual(before);
    });
  });
}
