import { L4_DEFAULTS } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

for (const driver of testDrivers) {
  describe(`the L3 route on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let memberKey: string;

    const check = (payload: unknown, credential = memberKey) =>
      t.app.inject({
        method: 'POST',
        url: '/api/quality/l3',
        headers: auth(credential),
        payload: payload as object,
      });

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      memberKey = (await createKey(t.app, { token: owner.token, role: 'member' })).key;
    }, 120_000);
    afterAll(() => t.dispose());

    it('answers a member with the cited uids, unknown and misattributed ids, and records nothing', async () => {
      const before = await t.runtime.store.readOrg({ org: owner.org });
      const res = await check({
        text: 'GDPR Art. 5(1)(c), EU AI Act Annex III point 4, GDPR Art. 120 and ISO 42001 MEASURE 2.8; Article 9.',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        cited: ['GDPR:Art.5', 'EU-AI-ACT:AnnexIII.4'],
        unknown: [{ text: 'Art. 120', framework: 'GDPR' }],
        misattributed: [{ text: 'MEASURE 2.8', named: 'ISO42001', actual: 'NIST-AI-RMF' }],
      });
      const after = await t.runtime.store.readOrg({ org: owner.org });
      expect(after.length).toBe(before.length);
    });

    it('reads unnamed articles under the framework the body gives', async () => {
      const res = await check({ text: 'Article 9 and Art. 35 apply.', framework: 'GDPR' });
      expect(res.json().cited).toEqual(['GDPR:Art.9', 'GDPR:Art.35']);
    });

    it('keeps governed answers unchecked until an admin turns L3 on for them, then records what each cites', async () => {
      const ask = async (content: string) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: auth(memberKey),
          payload: { model: 'demo/echo', messages: [{ role: 'user', content }] },
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.headers['x-request-id'] as string;
      };
      const checksOf = async (requestId: string) =>
        (await t.runtime.store.readSubject({ org: owner.org, subject: `call/${requestId}` })).filter(
          (e) => e.type === 'cp.quality.l3.checked',
        );

      const settings = await t.app.inject({
        method: 'GET',
        url: '/api/quality/settings',
        headers: auth(memberKey),
      });
      // The judge's settings are there too, at their defaults: the demo judge, no sampling.
      expect(settings.json()).toEqual({ l3: { governedAnswers: false }, l4: L4_DEFAULTS });
      expect(await checksOf(await ask('Is GDPR Art. 120 real?'))).toEqual([]);

      const byMember = await t.app.inject({
        method: 'PUT',
        url: '/api/quality/settings',
        headers: auth(memberKey),
        payload: { l3: { governedAnswers: true } },
      });
      expect(byMember.statusCode).toBe(403);
      const byOwner = await t.app.inject({
        method: 'PUT',
        url: '/api/quality/settings',
        headers: auth(owner.token),
        payload: { l3: { governedAnswers: true } },
      });
      expect(byOwner.json()).toEqual({ l3: { governedAnswers: true }, l4: L4_DEFAULTS });

      const requestId = await ask('Is GDPR Art. 120 real, unlike SOC 2 CC6.1?');
      const [checked, ...more] = await checksOf(requestId);
      expect(more).toEqual([]);
      expect(checked?.data).toEqual({
        requestId,
        attempt: 1,
        cited: ['SOC2:CC6.1'],
        unknown: [{ text: 'Art. 120', framework: 'GDPR' }],
        misattributed: [],
      });
      // A streamed answer is checked once the caller has all of it.
      const streamed = await t.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: auth(memberKey),
        payload: {
          model: 'demo/echo',
          stream: true,
          messages: [{ role: 'user', content: 'EU AI Act Art. 12 only' }],
        },
      });
      expect(streamed.statusCode).toBe(200);
      expect(streamed.body).toContain('data: ');
      const streamedId = streamed.headers['x-request-id'] as string;
      let streamedChecks = await checksOf(streamedId);
      while (streamedChecks.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        streamedChecks = await checksOf(streamedId);
      }
      expect(streamedChecks.map((e) => e.data)).toEqual([
        { requestId: streamedId, attempt: 1, cited: ['EU-AI-ACT:Art.12'], unknown: [], misattributed: [] },
      ]);

      const updates = (
        await t.runtime.store.readSubject({ org: owner.org, subject: 'settings/quality' })
      ).map((e) => e.data);
      expect(updates).toEqual([{ l3GovernedAnswers: true }]);
    });

    it('refuses a caller without credentials', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/quality/l3',
        payload: { text: 'SOC 2 CC6.1' },
      });
      expect(res.statusCode).toBe(401);
    });

    it.each([
      [{ text: '' }, 'body.text'],
      [{ text: 'x'.repeat(100_001) }, 'body.text'],
      [{ text: 'GDPR Art. 5\u0000' }, 'body.text'],
      [{ text: 'GDPR Art. 5', framework: 'HIPAA' }, 'body.framework'],
      [{ text: 'GDPR Art. 5', extra: true }, 'body'],
    ])('refuses %# with a 400 naming the field to fix', async (payload, field) => {
      const res = await check(payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json())).toContain(field);
    });
  });
}
