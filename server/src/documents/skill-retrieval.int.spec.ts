import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { multipart } from './testing/multipart.js';

const intake = (ownerId: string) => ({
  name: 'Invoice matcher',
  purpose: 'Matches supplier invoices against purchase orders for the accounts payable team.',
  ownerId,
  businessUnit: 'Finance',
  usersAffected: 'Accounts payable staff',
  dataCategories: ['financial'],
  models: [{ vendor: 'demo', model: 'demo' }],
  autonomy: 'assistive',
  deploymentContext: 'internal',
  riskTier: 'minimal',
});
const input = {
  name: 'Invoice matcher',
  description:
    'Reads supplier invoices and matches them against purchase orders; mismatches go to accounts payable.',
};

for (const driver of testDrivers) {
  describe(`a skill run for a use case retrieves from its documents on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let useCaseId: string;
    let chunkIds: string[];
    const call = (options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(owner.token), ...options.headers } });
    const callsOf = async (runId: string) =>
      (await t.runtime.store.readOrg({ org: owner.org })).filter(
        (e) => e.type === 'cp.llm.call.completed' && e.meta?.runId === runId,
      );

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      const created = await call({ method: 'POST', url: '/api/use-cases', payload: intake(owner.userId) });
      useCaseId = created.json().id;
      const { payload, headers } = multipart({
        file: {
          name: 'matching.md',
          type: 'text/markdown',
          bytes: Buffer.from(
            '# Invoice matching\n\nSupplier invoices are matched against purchase orders within two days.',
          ),
        },
      });
      const uploaded = await call({
        method: 'POST',
        url: `/api/use-cases/${useCaseId}/documents`,
        payload,
        headers,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      chunkIds = Array.from({ length: uploaded.json().chunks }, (_, i) => `${uploaded.json().id}:${i}`);
    });
    afterAll(() => t.dispose());

    it("records the retrieved chunk ids on the skill's call event, and the query's embedding under the run", async () => {
      const res = await call({
        method: 'POST',
        url: '/api/skills/intake.summarize_use_case/run',
        payload: { input, useCaseId },
      });
      expect(res.statusCode, res.body).toBe(200);
      const calls = await callsOf(res.json().runId);
      const skillCall = calls.find((e) => (e.data as { route: string }).route === 'skill');
      expect(skillCall, 'the skill call').toBeDefined();
      expect((skillCall!.data as { retrievedChunkIds?: string[] }).retrievedChunkIds).toEqual(chunkIds);
      expect(calls.some((e) => (e.data as { route: string }).route === 'documents')).toBe(true);
    });

    it('retrieves nothing for a run that names no use case', async () => {
      const res = await call({
        method: 'POST',
        url: '/api/skills/intake.summarize_use_case/run',
        payload: { input },
      });
      expect(res.statusCode, res.body).toBe(200);
      const calls = await callsOf(res.json().runId);
      expect(calls.map((e) => (e.data as { route: string }).route)).toEqual(['skill']);
      expect((calls[0]!.data as { retrievedChunkIds?: string[] }).retrievedChunkIds).toBeUndefined();
    });
  });
}
