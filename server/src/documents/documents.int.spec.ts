import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombStream, docxOf, pdfOf } from '../../../commands/src/documents/testing/fixtures.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { multipart } from './testing/multipart.js';

const intake = (ownerId: string) => ({
  name: 'Vendor policy assistant',
  purpose: 'Answers staff questions about vendor and data-retention policies from the policy documents.',
  ownerId,
  businessUnit: 'Legal',
  usersAffected: 'Staff',
  dataCategories: ['none'],
  models: [{ vendor: 'demo', model: 'demo' }],
  autonomy: 'assistive',
  deploymentContext: 'internal',
  riskTier: 'minimal',
});

const text = (s: string) => new TextEncoder().encode(s);
const RETENTION = `# Data retention\n\nAudit logs are kept for seven years in cold storage.\n\n## Deletion\n\nPersonal data is erased within thirty days of a verified request.`;
const VENDORS = `<h1>Vendor onboarding</h1><p>Every supplier completes a security questionnaire before a contract is signed.</p>`;

for (const driver of testDrivers) {
  describe(`use-case documents and search on ${driver}`, () => {
    let t: TestApp;
    let alice: Account;
    let bob: Account;
    let aliceCase: string;
    let bobCase: string;

    const call = (token: string, options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(token), ...options.headers } });
    const newCase = async (account: Account) => {
      const res = await call(account.token, {
        method: 'POST',
        url: '/api/use-cases',
        payload: intake(account.userId),
      });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const upload = (
      account: Account,
      useCaseId: string,
      file: { name: string; type: string; bytes: Uint8Array; field?: string },
      fields?: Record<string, string>,
    ) => {
      const { payload, headers } = multipart({ file, ...(fields ? { fields } : {}) });
      return call(account.token, {
        method: 'POST',
        url: `/api/use-cases/${useCaseId}/documents`,
        payload,
        headers,
      });
    };
    const search = (account: Account, useCaseId: string, body: Record<string, unknown>) =>
      call(account.token, { method: 'POST', url: `/api/use-cases/${useCaseId}/search`, payload: body });
    const events = async (org: string, prefix: string) =>
      (await t.runtime.store.readOrg({ org })).filter((e) => e.type.startsWith(prefix));
    const caseDir = (org: string, useCaseId: string) => join(t.config.dataDir, 'projects', org, useCaseId);

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      alice = await registerAccount(t.app);
      bob = await registerAccount(t.app);
      aliceCase = await newCase(alice);
      bobCase = await newCase(bob);
    });
    afterAll(() => t.dispose());

    it('uploads each format, stores it by its hash, records hash, size, type and title but never the text', async () => {
      const files = [
        { name: 'retention.md', type: 'text/markdown', bytes: text(RETENTION) },
        { name: 'vendors.html', type: 'text/html', bytes: text(VENDORS) },
        {
          name: 'notes.txt',
          type: 'text/plain',
          bytes: text('Incident reviews happen within five working days.'),
        },
        {
          name: 'access.pdf',
          type: 'application/pdf',
          bytes: pdfOf({ pages: [['Access reviews run every quarter']] }),
        },
        {
          name: 'training.docx',
          type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          bytes: docxOf({ paragraphs: ['# Training', 'Staff complete privacy training every year.'] }),
        },
      ];
      for (const file of files) {
        const res = await upload(alice, aliceCase, file);
        expect(res.statusCode, res.body).toBe(201);
        const doc = res.json();
        expect(doc).toMatchObject({ useCaseId: aliceCase, title: file.name, sizeBytes: file.bytes.length });
        expect(existsSync(join(caseDir(alice.org, aliceCase), doc.sha256))).toBe(true);
      }
      const uploaded = await events(alice.org, 'cp.usecase.document.uploaded');
      expect(uploaded.map((e) => (e.data as { type: string }).type)).toEqual([
        'markdown',
        'html',
        'text',
        'pdf',
        'docx',
      ]);
      const json = JSON.stringify(uploaded);
      expect(json).not.toContain('seven years');
      expect(json).not.toContain('questionnaire');
      // Every embedding was a governed call, audited with its cost.
      const calls = (await t.runtime.store.readOrg({ org: alice.org })).filter(
        (e) => e.type === 'cp.llm.call.completed' && (e.data as { route?: string }).route === 'documents',
      );
      expect(calls.length).toBeGreaterThanOrEqual(files.length);
    });

    it('lists a case page by page', async () => {
      const first = await call(alice.token, {
        method: 'GET',
        url: `/api/use-cases/${aliceCase}/documents?limit=2`,
      });
      expect(first.statusCode).toBe(200);
      expect(first.json().documents).toHaveLength(2);
      const seen = [...first.json().documents];
      let next = first.json().next as string | null;
      while (next) {
        const page = await call(alice.token, {
          method: 'GET',
          url: `/api/use-cases/${aliceCase}/documents?limit=2&after=${next}`,
        });
        seen.push(...page.json().documents);
        next = page.json().next;
      }
      expect(new Set(seen.map((d: { id: string }) => d.id)).size).toBe(5);
    });

    it('searches by BM25, by vector and by both fused, naming which retriever found each hit', async () => {
      for (const mode of ['hybrid', 'lexical', 'vector'] as const) {
        const res = await search(alice, aliceCase, { query: 'how long are audit logs kept', k: 3, mode });
        expect(res.statusCode, res.body).toBe(200);
        const [top] = res.json().hits;
        expect(top.text, mode).toContain('seven years');
        expect(top.title).toBe('retention.md');
        expect(top.from).toEqual(
          mode === 'hybrid' ? ['bm25', 'vector'] : mode === 'lexical' ? ['bm25'] : ['vector'],
        );
      }
      const refused = await search(alice, aliceCase, { query: '', k: 3, mode: 'hybrid' });
      expect(refused.statusCode).toBe(400);
    });

    it('refuses hostile uploads with a 4xx naming the problem, and writes nothing', async () => {
      const before = (await events(alice.org, 'cp.usecase.document')).length;
      const filesBefore = readdirSync(caseDir(alice.org, aliceCase)).length;
      const cases: [
        string,
        { name: string; type: string; bytes: Uint8Array; field?: string },
        number,
        string,
      ][] = [
        [
          'a path as name',
          { name: '../../x.md', type: 'text/markdown', bytes: text('# x') },
          400,
          'document_upload_invalid',
        ],
        [
          'a lying type',
          { name: 'a.pdf', type: 'application/pdf', bytes: text('not a pdf') },
          415,
          'document_type_mismatch',
        ],
        [
          'a PDF bomb',
          {
            name: 'b.pdf',
            type: 'application/pdf',
            bytes: pdfOf({ pages: [['x']], rawContent: bombStream(160 * 1024 * 1024) }),
          },
          422,
          'document_rejected',
        ],
        [
          'a DOCX zip bomb',
          {
            name: 'z.docx',
            type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            bytes: docxOf({
              paragraphs: ['x'],
              extra: { 'word/media/zeros.bin': new Uint8Array(60 * 1024 * 1024) },
            }),
          },
          422,
          'document_rejected',
        ],
        [
          'a file too large',
          { name: 'big.txt', type: 'text/plain', bytes: new Uint8Array(10 * 1024 * 1024 + 1).fill(97) },
          413,
          'document_too_large',
        ],
        [
          'an image',
          { name: 'p.png', type: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
          415,
          'document_type_unsupported',
        ],
        [
          'a part not named file',
          { name: 'a.md', type: 'text/markdown', bytes: text('# a'), field: 'doc' },
          400,
          'document_upload_invalid',
        ],
      ];
      for (const [what, file, status, code] of cases) {
        const res = await upload(alice, aliceCase, file);
        expect([what, res.statusCode, res.json().code]).toEqual([what, status, code]);
        expect(res.json().detail, what).toBeTruthy();
      }
      expect((await events(alice.org, 'cp.usecase.document')).length).toBe(before);
      expect(readdirSync(caseDir(alice.org, aliceCase)).length).toBe(filesBefore);
    });

    it("keeps a case's documents inside its org, even when another org uploads the same file", async () => {
      const same = await upload(bob, bobCase, {
        name: 'retention.md',
        type: 'text/markdown',
        bytes: text(RETENTION),
      });
      expect(same.statusCode).toBe(201);
      const bobDoc = same.json().id as string;
      const mine = await search(alice, aliceCase, { query: 'audit logs seven years', k: 10, mode: 'hybrid' });
      expect(mine.json().hits.length).toBeGreaterThan(0);
      expect(mine.json().hits.every((h: { documentId: string }) => h.documentId !== bobDoc)).toBe(true);
      const theirs = await search(bob, bobCase, { query: 'audit logs seven years', k: 10, mode: 'hybrid' });
      expect(new Set(theirs.json().hits.map((h: { documentId: string }) => h.documentId))).toEqual(
        new Set([bobDoc]),
      );
      // Another org's case is not found at all: not its list, its search, its upload or its delete.
      for (const res of [
        await call(bob.token, { method: 'GET', url: `/api/use-cases/${aliceCase}/documents` }),
        await search(bob, aliceCase, { query: 'audit', k: 3, mode: 'lexical' }),
        await upload(bob, aliceCase, { name: 'x.md', type: 'text/markdown', bytes: text('# x') }),
        await call(bob.token, { method: 'DELETE', url: `/api/use-cases/${aliceCase}/documents/${bobDoc}` }),
      ])
        expect([res.statusCode, res.json().code]).toEqual([404, 'usecase_not_found']);
      const wrongCase = await call(alice.token, {
        method: 'DELETE',
        url: `/api/use-cases/${aliceCase}/documents/${bobDoc}`,
      });
      expect([wrongCase.statusCode, wrongCase.json().code]).toEqual([404, 'document_not_found']);
    });

    it('deletes a document with its chunks, vectors and file, and records the deletion', async () => {
      const list = await call(alice.token, {
        method: 'GET',
        url: `/api/use-cases/${aliceCase}/documents?limit=100`,
      });
      const doc = list.json().documents.find((d: { title: string }) => d.title === 'retention.md');
      const res = await call(alice.token, {
        method: 'DELETE',
        url: `/api/use-cases/${aliceCase}/documents/${doc.id}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ id: doc.id, chunks: doc.chunks });
      const deleted = await events(alice.org, 'cp.usecase.document.deleted');
      expect(deleted.map((e) => e.data)).toEqual([
        { documentId: doc.id, useCaseId: aliceCase, chunks: doc.chunks },
      ]);
      for (const mode of ['hybrid', 'lexical', 'vector'] as const) {
        const hits = (await search(alice, aliceCase, { query: 'audit logs seven years', k: 10, mode })).json()
          .hits;
        expect(
          hits.every((h: { documentId: string }) => h.documentId !== doc.id),
          mode,
        ).toBe(true);
      }
      expect(existsSync(join(caseDir(alice.org, aliceCase), doc.sha256))).toBe(false);
      // Bob's copy of the same bytes is untouched.
      const theirs = await search(bob, bobCase, { query: 'audit logs seven years', k: 3, mode: 'vector' });
      expect(theirs.json().hits.length).toBeGreaterThan(0);
      const again = await call(alice.token, {
        method: 'DELETE',
        url: `/api/use-cases/${aliceCase}/documents/${doc.id}`,
      });
      expect([again.statusCode, again.json().code]).toEqual([404, 'document_not_found']);
    });

    it('keeps the file of an upload in flight when a twin upload of the same bytes fails', async () => {
      const bytes = text('# Twin\n\nThe same bytes, uploaded twice at once.');
      const store = t.runtime.store;
      const append = store.append.bind(store);
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let uploads = 0;
      store.append = async (options) => {
        if (!options.events.some((e) => e.type === 'cp.usecase.document.uploaded')) return append(options);
        uploads += 1;
        if (uploads === 1) {
          await firstMayCommit;
          return append(options);
        }
        throw new Error('the twin upload fails to commit');
      };
      try {
        const first = upload(alice, aliceCase, { name: 'twin.md', type: 'text/markdown', bytes });
        await expect.poll(() => uploads).toBe(1);
        const second = await upload(alice, aliceCase, { name: 'twin.md', type: 'text/markdown', bytes });
        expect(second.statusCode).toBeGreaterThanOrEqual(500);
        releaseFirst();
        const committed = await first;
        expect(committed.statusCode, committed.body).toBe(201);
        expect(existsSync(join(caseDir(alice.org, aliceCase), committed.json().sha256))).toBe(true);
      } finally {
        store.append = append;
      }
    });

    it('lets admins choose the embedder and members read it', async () => {
      const read = await call(alice.token, { method: 'GET', url: '/api/document-settings' });
      expect(read.json().embedder).toMatchObject({ provider: 'demo', label: 'demo/hashed-ngrams-384' });
      const missingModel = await call(alice.token, {
        method: 'PUT',
        url: '/api/document-settings',
        payload: { provider: 'openai' },
      });
      expect(missingModel.statusCode).toBe(400);
      const chosen = await call(alice.token, {
        method: 'PUT',
        url: '/api/document-settings',
        payload: { provider: 'openai', model: 'text-embedding-3-small' },
      });
      expect(chosen.statusCode, chosen.body).toBe(200);
      expect(chosen.json().embedder.label).toBe('openai/text-embedding-3-small');
      // No OpenAI key in this org or on the platform: the upload says what to fix and records no document.
      const before = (await events(alice.org, 'cp.usecase.document.uploaded')).length;
      const keyless = await upload(alice, aliceCase, {
        name: 'k.md',
        type: 'text/markdown',
        bytes: text('# K\n\nkeys'),
      });
      expect([keyless.statusCode, keyless.json().code]).toEqual([409, 'document_embedder_unavailable']);
      expect(keyless.json().detail).toMatch(/provider-keys/);
      expect((await events(alice.org, 'cp.usecase.document.uploaded')).length).toBe(before);
      expect(
        (await call(bob.token, { method: 'GET', url: '/api/document-settings' })).json().embedder.provider,
      ).toBe('demo');
      await call(alice.token, {
        method: 'PUT',
        url: '/api/document-settings',
        payload: { provider: 'demo' },
      });
    });
  });
}
