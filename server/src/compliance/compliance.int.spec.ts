import { testDrivers } from '@proofpane/core/testing';
import { parsePublishedKeys, verifyPack } from '@proofpane/evidence-verifier';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import { callCompleted, policyDecided } from '../../../projections/src/testing/index.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const ART12 = 'EU-AI-ACT:Art.12';

for (const driver of testDrivers) {
  describe(`compliance routes on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let second: { token: string; userId: string };
    let victim: Account;
    let memberToken: string;
    let ownEventIds: string[];

    const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });

    /** Asks until the projection has applied what was appended (no timing assumed). */
    async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
      for (;;) {
        const value = await read();
        if (ok(value)) return value;
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    const join = async (role: 'admin' | 'member', email: string) => {
      const invited = await call('POST', '/api/invitations', owner.token, { email, role });
      const token = invited.json().delivery.link.split('#token=')[1];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: `${role} compliance password 9` },
      });
      expect(res.statusCode, res.body).toBe(200);
      return { token: res.json().token as string, userId: res.json().user.id as string };
    };

    const coverageOf = async (token: string, framework: string) =>
      (await call('GET', `/api/compliance/coverage?framework=${framework}`, token)).json() as {
        controls: { uid: string; status: string; count: number; useCases: string[]; skills: string[] }[];
        totals: Record<string, number>;
      };
    const controlIn = (report: Awaited<ReturnType<typeof coverageOf>>, uid: string) =>
      report.controls.find((c) => c.uid === uid)!;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      victim = await registerAccount(t.app, { orgName: 'Victim compliance org' });
      second = await join('admin', `second-${Date.now()}@example.test`);
      memberToken = (await join('member', `member-${Date.now()}@example.test`)).token;
      const masked = policyDecided({ id: 'c_masked' });
      (masked.data as Record<string, unknown>).dlp = { EMAIL: 1 };
      const mine = await t.runtime.store.append({
        org: owner.org,
        events: [
          callCompleted({ id: 'c1', costMicros: 5 }),
          callCompleted({ id: 'c2', costMicros: 5 }),
          masked,
        ],
      });
      ownEventIds = mine.map((e) => e.id);
      await t.runtime.store.append({ org: victim.org, events: [callCompleted({ id: 'v1', costMicros: 5 })] });
    }, 120_000);
    afterAll(() => t.dispose());

    it('serves the versioned catalogue: frameworks, paged controls, one control with its crosswalks', async () => {
      const frameworks = (await call('GET', '/api/compliance/frameworks', memberToken)).json();
      expect(frameworks.catalogueVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
      expect(frameworks.frameworks.map((f: { prefix: string }) => f.prefix)).toEqual([
        'NIST-AI-RMF',
        'ISO42001',
        'EU-AI-ACT',
        'GDPR',
        'SOC2',
      ]);
      const first = (
        await call('GET', '/api/compliance/controls?framework=gdpr-2016-679&limit=40', memberToken)
      ).json();
      expect(first.controls).toHaveLength(40);
      const rest = (
        await call(
          'GET',
          `/api/compliance/controls?framework=GDPR&limit=500&after=${encodeURIComponent(first.next)}`,
          memberToken,
        )
      ).json();
      expect(first.controls.length + rest.controls.length).toBe(99);
      expect(rest.next).toBeNull();
      const stray = await call(
        'GET',
        '/api/compliance/controls?framework=GDPR&after=EU-AI-ACT%3AArt.1',
        memberToken,
      );
      expect(stray.statusCode).toBe(400);
      const curated = (
        await call('GET', '/api/compliance/controls?curated=true&limit=500', memberToken)
      ).json();
      expect(curated.controls).toHaveLength(59);
      expect(curated.controls.every((c: { curated: boolean }) => c.curated)).toBe(true);

      const detail = (
        await call('GET', `/api/compliance/controls/${encodeURIComponent('ISO42001:A.6.2.8')}`, memberToken)
      ).json();
      const linked = detail.crosswalks.flatMap((g: { controls: { uid: string }[] }) =>
        g.controls.map((c) => c.uid),
      );
      expect(linked).toEqual(expect.arrayContaining([ART12, 'NIST-AI-RMF:MEASURE 2.8']));
      expect(detail.rules.map((r: { id: string }) => r.id)).toContain('governed-call-recorded');
    });

    it('describes its routes in the OpenAPI document', async () => {
      const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining([
          '/api/compliance/frameworks',
          '/api/compliance/controls',
          '/api/compliance/controls/{uid}',
          '/api/compliance/controls/{uid}/evidence',
          '/api/compliance/controls/{uid}/evidence-pack',
          '/api/compliance/coverage',
          '/api/compliance/mappings',
          '/api/compliance/mappings/overrides',
          '/api/compliance/mappings/overrides/{id}/approve',
          '/api/compliance/mappings/overrides/{id}/reject',
        ]),
      );
      expect(
        spec.paths['/api/compliance/mappings/overrides'].post.requestBody.content['application/json'].schema
          .required,
      ).toEqual(expect.arrayContaining(['skill', 'control', 'action', 'reason']));
    });

    it('answers a clear 4xx for unknown frameworks and controls and malformed uids', async () => {
      const unknown = await call('GET', '/api/compliance/coverage?framework=hipaa', memberToken);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('compliance_framework_not_found');
      const missing = await call(
        'GET',
        `/api/compliance/controls/${encodeURIComponent('GDPR:Art.999')}`,
        memberToken,
      );
      expect(missing.json().code).toBe('compliance_control_not_found');
      const malformed = await call('GET', '/api/compliance/controls/Art.9', memberToken);
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().detail).toMatch(/EU-AI-ACT:Art\.12/);
    });

    it("counts only the org's own events as evidence, with status per control", async () => {
      const mine = await until(
        () => coverageOf(owner.token, 'eu-ai-act-2024-1689'),
        (r) => controlIn(r, ART12).count === 2,
      );
      expect(controlIn(mine, ART12).status).toBe('evidenced');
      expect(controlIn(mine, 'EU-AI-ACT:Art.1').status).toBe('not_mapped');
      expect(mine.totals.evidenced).toBeGreaterThan(0);
      const gdpr = await coverageOf(owner.token, 'GDPR');
      expect(controlIn(gdpr, 'GDPR:Art.5')).toMatchObject({ status: 'evidenced', count: 1 });
      const theirs = await until(
        () => coverageOf(victim.token, 'eu-ai-act-2024-1689'),
        (r) => controlIn(r, ART12).count >= 1,
      );
      expect(controlIn(theirs, ART12).count).toBe(1);
      expect(controlIn(await coverageOf(victim.token, 'GDPR'), 'GDPR:Art.5').status).not.toBe('evidenced');

      const timeline = (
        await call(
          'GET',
          `/api/compliance/controls/${encodeURIComponent(ART12)}/evidence?limit=1`,
          owner.token,
        )
      ).json();
      expect(timeline.items).toHaveLength(1);
      const page2 = (
        await call(
          'GET',
          `/api/compliance/controls/${encodeURIComponent(ART12)}/evidence?limit=1&before=${timeline.next}`,
          owner.token,
        )
      ).json();
      const ids = [...timeline.items, ...page2.items].map((i: { eventId: string }) => i.eventId);
      expect(ids.every((id) => ownEventIds.includes(id))).toBe(true);
      expect(page2.next).toBeNull();
    });

    it('exports a pack of exactly the evidencing events, verified offline', async () => {
      const evidence = (
        await call('GET', `/api/compliance/controls/${encodeURIComponent(ART12)}/evidence`, owner.token)
      ).json();
      const res = await call(
        'POST',
        `/api/compliance/controls/${encodeURIComponent(ART12)}/evidence-pack`,
        owner.token,
        {},
      );
      expect(res.statusCode, res.body).toBe(200);
      const keys = parsePublishedKeys(
        (await t.app.inject({ method: 'GET', url: '/.well-known/proofpane-keys.json' })).body,
      );
      if ('error' in keys) throw new Error(keys.error);
      const pack = new Uint8Array(res.rawPayload);
      const report = await verifyPack(pack, { trust: { kind: 'list', keys: keys.keys } });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report).toMatchObject({ valid: true, org: owner.org, eventCount: 2 });
      const lines = new TextDecoder().decode(unzipSync(pack)['events.jsonl']).trim().split('\n');
      const packed = lines.map((l) => (JSON.parse(l) as { id: string }).id).sort();
      expect(packed).toEqual(evidence.items.map((i: { eventId: string }) => i.eventId).sort());
      // The export is recorded with the seqs' count and hash, not the list itself.
      const head = await t.runtime.store.head(owner.org);
      const [exported] = await t.runtime.store.readOrg({ org: owner.org, fromSeq: head!.seq });
      expect(exported!.type).toBe('cp.evidence.pack.exported');
      expect(exported!.data).toMatchObject({
        selection: {
          label: `control:${ART12}`,
          seqCount: 2,
          seqsSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
      expect(JSON.stringify(exported!.data)).not.toContain('"seqs"');

      const empty = await call(
        'POST',
        `/api/compliance/controls/${encodeURIComponent('EU-AI-ACT:Art.1')}/evidence-pack`,
        owner.token,
        {},
      );
      expect(empty.statusCode).toBe(404);
      const byMember = await call(
        'POST',
        `/api/compliance/controls/${encodeURIComponent(ART12)}/evidence-pack`,
        memberToken,
        {},
      );
      expect(byMember.statusCode).toBe(403);
    });

    it('applies a mapping override only once a second admin approves it', async () => {
      const body = {
        skill: 'risk.eu_ai_act_tier',
        control: 'GDPR:Art.35',
        action: 'add',
        reason: 'the DPIA reads the tier',
      };
      expect((await call('POST', '/api/compliance/mappings/overrides', memberToken, body)).statusCode).toBe(
        403,
      );
      const bad = await call('POST', '/api/compliance/mappings/overrides', owner.token, {
        ...body,
        control: 'GDPR:Art.999',
      });
      expect(bad.json().code).toBe('compliance_override_invalid');
      const proposed = await call('POST', '/api/compliance/mappings/overrides', owner.token, body);
      expect(proposed.statusCode, proposed.body).toBe(201);
      const { id } = proposed.json();
      expect(proposed.json()).toMatchObject({ status: 'pending', proposedBy: owner.userId });

      const mapped = async (token: string) =>
        (
          await call('GET', `/api/compliance/mappings?control=${encodeURIComponent('GDPR:Art.35')}`, token)
        ).json().mappings as { skill: string; source: string }[];
      expect((await mapped(owner.token)).map((m) => m.skill)).not.toContain('risk.eu_ai_act_tier');

      const self = await call('POST', `/api/compliance/mappings/overrides/${id}/approve`, owner.token, {});
      expect(self.statusCode).toBe(403);
      expect(self.json().code).toBe('compliance_four_eyes');
      const key = await createKey(t.app, { token: owner.token, role: 'admin', name: 'approver key' });
      expect(
        (await call('POST', `/api/compliance/mappings/overrides/${id}/approve`, key.key, {})).json().code,
      ).toBe('compliance_four_eyes');
      const crossOrg = await call(
        'POST',
        `/api/compliance/mappings/overrides/${id}/approve`,
        victim.token,
        {},
      );
      expect(crossOrg.json().code).toBe('compliance_override_not_found');

      const approved = await call('POST', `/api/compliance/mappings/overrides/${id}/approve`, second.token, {
        note: 'ok',
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: second.userId });
      const again = await call('POST', `/api/compliance/mappings/overrides/${id}/reject`, second.token, {});
      expect(again.json().code).toBe('compliance_override_decided');

      const now = await until(
        () => mapped(owner.token),
        (m) => m.some((p) => p.skill === 'risk.eu_ai_act_tier'),
      );
      expect(now.find((p) => p.skill === 'risk.eu_ai_act_tier')?.source).toBe('override');
      expect((await mapped(victim.token)).map((m) => m.skill)).not.toContain('risk.eu_ai_act_tier');
      const listed = (
        await call('GET', '/api/compliance/mappings/overrides?status=approved', owner.token)
      ).json();
      expect(listed.overrides.map((o: { id: string }) => o.id)).toEqual([id]);
      expect(
        (await call('GET', '/api/compliance/mappings/overrides', victim.token)).json().overrides,
      ).toEqual([]);
      // Two admins deciding the same override at once: one decision is recorded, the other refused.
      const raced = (
        await call('POST', '/api/compliance/mappings/overrides', owner.token, {
          ...body,
          control: 'GDPR:Art.30',
        })
      ).json().id as string;
      const outcomes = await Promise.all([
        call('POST', `/api/compliance/mappings/overrides/${raced}/approve`, second.token, {}),
        call('POST', `/api/compliance/mappings/overrides/${raced}/reject`, owner.token, {}),
      ]);
      expect(outcomes.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const decided = await t.runtime.store.readSubject({
        org: owner.org,
        subject: `compliance-override/${raced}`,
      });
      expect(decided.map((e) => e.type)).toHaveLength(2);
      const dpia = controlIn(await coverageOf(owner.token, 'gdpr'), 'GDPR:Art.35');
      expect(dpia.skills).toContain('risk.eu_ai_act_tier');
    });
  });
}
