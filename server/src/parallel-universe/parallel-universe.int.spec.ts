import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anthropicReleases,
  arxivFeed,
  githubSearch,
  hackerNews,
  openaiReleases,
} from '../../../commands/src/parallel-universe/testing/fixtures.js';
import { type FakeVendor, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const verdict = (action: 'gene' | 'coder' | 'ignore', extra: Record<string, unknown> = {}) => ({
  text: JSON.stringify({ relevance: 0.9, summary: 'Relevant to governed agents.', action, ...extra }),
  usage: { input: 100, output: 40 },
});

for (const driver of testDrivers) {
  describe(`Parallel Universe over HTTP on ${driver}`, () => {
    let t: TestApp;
    let vendor: FakeVendor;
    let sources: ReturnType<typeof createServer>;
    let a: Account;
    let b: Account;
    let member: string;
    let answer: (req: IncomingMessage, res: ServerResponse) => void;
    const json = (body: string, etag: string) => (req: IncomingMessage, res: ServerResponse) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag });
      res.end(body);
    };

    beforeAll(async () => {
      vendor = await startFakeOpenAI();
      answer = (req, res) => {
        const url = req.url ?? '';
        if (url.startsWith('/repos/anthropics/')) {
          json(anthropicReleases, '"a1"')(req, res);
          return;
        }
        if (url.startsWith('/repos/openai/')) {
          json(openaiReleases, '"o1"')(req, res);
          return;
        }
        if (url.startsWith('/search/')) {
          json(githubSearch, '"s1"')(req, res);
          return;
        }
        if (url.startsWith('/hn/')) {
          json(hackerNews, '"h1"')(req, res);
          return;
        }
        if (url.startsWith('/arxiv/')) {
          res.writeHead(200, {
            'content-type': 'application/atom+xml',
            'last-modified': 'Tue, 02 Dec 2026 10:00:00 GMT',
          });
          res.end(arxivFeed);
          return;
        }
        res.writeHead(404);
        res.end();
      };
      sources = createServer((req, res) => answer(req, res));
      await new Promise<void>((resolve) => sources.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(sources.address() as AddressInfo).port}`;
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_WORKFLOW_ENGINE: 'off',
          OPENAI_API_KEY: 'sk-pu-spec',
          OPENAI_BASE_URL: `${vendor.url}/v1`,
          PROOFPANE_PU_MODEL: 'openai/gpt-4o-mini',
          PROOFPANE_PU_GITHUB_URL: base,
          PROOFPANE_PU_ARXIV_URL: `${base}/arxiv`,
          PROOFPANE_PU_HN_URL: `${base}/hn`,
        },
      });
      a = await registerAccount(t.app);
      b = await registerAccount(t.app);
      const invited = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(a.token),
        payload: { email: `member-${a.org}@pu.test`, role: 'member' },
      });
      const token = (invited.json().delivery.link as string).split('#token=')[1];
      member = (
        await t.app.inject({
          method: 'POST',
          url: '/api/invitations/accept',
          payload: { token, password: 'a member password' },
        })
      ).json().token;
    });
    afterAll(async () => {
      await t.dispose();
      await vendor.close();
      sources.close();
    });

    const post = (token: string, url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url, headers: auth(token), payload });
    const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
    const events = async (org: string, type: string) =>
      ((await t.runtime.store.readOrg({ org })) as EventEnvelope[]).filter((e) => e.type === type);
    const items = async (token = a.token) => (await get(token, '/api/parallel-universe/items')).json();

    it('is off by default; a pass fetches all five sources, records each item once and triages it under governed calls', async () => {
      expect((await get(a.token, '/api/parallel-universe/settings')).json()).toMatchObject({
        enabled: false,
      });
      expect(await t.app.parallelUniverse.service.pass({ org: a.org, now: new Date() })).toMatchObject({
        ran: false,
      });

      // 2 + 1 releases, 2 repositories, 2 papers, 2 stories: 9 items, each triaged by one call.
      vendor.script(
        verdict('coder', { proposal: 'Support citations in tool results' }),
        ...Array.from({ length: 7 }, () => verdict('ignore')),
        verdict('gene', { skill: 'risk.eu_ai_act_tier', proposal: 'Cite the Article when naming a tier.' }),
      );
      const res = await post(a.token, '/api/parallel-universe/run');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        ran: true,
        discovered: 9,
        triaged: 9,
        sources: {
          'anthropic-sdk-python': 'fetched',
          'openai-python': 'fetched',
          'arxiv-cs-ai': 'fetched',
          'github-search': 'fetched',
          'hacker-news': 'fetched',
        },
      });
      const listed = await items();
      expect(listed.items).toHaveLength(9);
      expect(listed.items.every((i: { status: string }) => i.status === 'triaged')).toBe(true);
      expect(listed.budget).toMatchObject({ capMicros: 1_000_000, exhausted: false });
      expect(listed.budget.spentMicros).toBeGreaterThan(0);
      const triageCalls = (await events(a.org, 'cp.llm.call.completed')).length;
      expect(triageCalls).toBe(9);

      // The second pass asks conditionally: nothing new, nothing triaged again.
      const again = await post(a.token, '/api/parallel-universe/run');
      expect(again.json()).toMatchObject({ discovered: 0, triaged: 0 });
      expect(again.json().sources['anthropic-sdk-python']).toBe('not_modified');
      expect(await events(a.org, 'cp.pu.item.discovered')).toHaveLength(9);
      expect((await events(a.org, 'cp.llm.call.completed')).length).toBe(triageCalls);
      expect((await items(b.token)).items).toEqual([]);
    });

    it('promotes only after a person approves: a coder item becomes a session awaiting its run, a gene item a proposal', async () => {
      const { items: list } = await items();
      const coderItem = list.find((i: { action: string }) => i.action === 'coder');
      const geneItem = list.find((i: { action: string }) => i.action === 'gene');
      const ignored = list.find((i: { action: string }) => i.action === 'ignore');
      expect((await post(member, `/api/parallel-universe/items/${coderItem.id}/promote`)).statusCode).toBe(
        403,
      );
      expect((await post(a.token, `/api/parallel-universe/items/${ignored.id}/promote`)).json().code).toBe(
        'pu_item_state',
      );
      expect((await post(b.token, `/api/parallel-universe/items/${coderItem.id}/promote`)).json().code).toBe(
        'pu_item_not_found',
      );

      const asked = await post(a.token, `/api/parallel-universe/items/${coderItem.id}/promote`);
      expect(asked.statusCode, asked.body).toBe(202);
      const { hitlRequestId } = asked.json();
      // Its own HITL kind, the target naming the item and what an approval makes of it.
      const request = (await get(a.token, `/api/hitl/${hitlRequestId}`)).json();
      expect(request).toMatchObject({ kind: 'pu_promotion', target: `pu-item/${coderItem.id}/coder` });
      // Nothing is created while the request waits.
      expect(await events(a.org, 'cp.coder.session.created')).toHaveLength(0);
      expect((await post(a.token, `/api/parallel-universe/items/${coderItem.id}/promote`)).json().code).toBe(
        'pu_item_state',
      );
      const resolved = await post(a.token, `/api/hitl/${hitlRequestId}/resolve`, {
        decision: 'approve',
        remember: false,
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      await t.app.parallelUniverse.service.settle(a.org, coderItem.id);
      const promoted = (await items()).items.find((i: { id: string }) => i.id === coderItem.id);
      expect(promoted).toMatchObject({ status: 'promoted', sessionId: expect.stringMatching(/^cs_/) });
      const session = (await get(a.token, `/api/coder/sessions/${promoted.sessionId}`)).json();
      expect(session).toMatchObject({ status: 'awaiting_run', mode: 'greenfield' });
      expect(session.goal).toContain('Support citations in tool results');

      const geneAsk = await post(a.token, `/api/parallel-universe/items/${geneItem.id}/promote`);
      expect(geneAsk.statusCode, geneAsk.body).toBe(202);
      await post(a.token, `/api/hitl/${geneAsk.json().hitlRequestId}/resolve`, {
        decision: 'approve',
        remember: false,
      });
      await t.app.parallelUniverse.service.settle(a.org, geneItem.id);
      const [proposed] = await events(a.org, 'cp.evolution.gene.proposed');
      expect(proposed?.data).toMatchObject({
        origin: 'parallel-universe',
        text: 'Cite the Article when naming a tier.',
      });
    });

    it('stops triage at the monthly budget with one event, and archives items left unpromoted past their age', async () => {
      answer = (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          req.url?.startsWith('/hn/')
            ? JSON.stringify({
                hits: [
                  { objectID: '9000001', title: 'New story', created_at: '2026-12-03T09:00:00Z' },
                  { objectID: '9000002', title: 'Another', created_at: '2026-12-03T09:00:00Z' },
                ],
              })
            : '{"malformed": true',
        );
      };
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/parallel-universe/settings',
        headers: auth(b.token),
        payload: { enabled: true, intervalMinutes: 60, staleAfterDays: 7, monthlyBudgetMicros: 1 },
      });
      expect(put.statusCode, put.body).toBe(200);
      vendor.script(verdict('ignore'), verdict('ignore'));
      const pass = await t.app.parallelUniverse.service.pass({ org: b.org, now: new Date() });
      expect(pass).toMatchObject({ discovered: 2, triaged: 1, budgetExhausted: true });
      expect(pass.sources['github-search']).toBe('failed');
      const second = await t.app.parallelUniverse.service.pass({ org: b.org, now: new Date() });
      expect(second).toMatchObject({ triaged: 0, budgetExhausted: true });
      expect(await events(b.org, 'cp.pu.budget.exhausted')).toHaveLength(1);
      expect((await items(b.token)).budget.exhausted).toBe(true);

      const later = new Date(Date.now() + 8 * 86_400_000);
      const swept = await t.app.parallelUniverse.service.pass({ org: b.org, now: later });
      expect(swept.archived).toBe(2);
      const statuses = (await items(b.token)).items.map((i: { status: string }) => i.status);
      expect(statuses).toEqual(['archived', 'archived']);
    });
  });
}
