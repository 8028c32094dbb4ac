import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { startCheckpointer } from './checkpoints.js';
import { exportEvidencePack } from './export-pack.js';
import { selectionSchema } from './selection.js';

const publishedKey = z.object({
  keyId: z.string(),
  publicKey: z.string(),
  status: z.enum(['current', 'retired']),
  from: z.string(),
  until: z.string().nullable(),
});

/** Evidence Packs (docs/evidence-pack.md), the published signing keys, and periodic checkpoints. */
export const evidenceRoutes: FastifyPluginAsync = async (app) => {
  const { runtime } = app;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/evidence-packs',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['evidence'],
        summary: 'Export a signed Evidence Pack (ZIP) of the org chain or a selection of it',
        body: selectionSchema.default({}),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const pack = await exportEvidencePack({
        store: runtime.store,
        signer: runtime.keyring.signer,
        org: principal.org,
        selection: request.body ?? {},
        actor: principal.actor,
        now: () => new Date(),
      });
      const stamp = pack.manifest.createdAt.replace(/[:.]/g, '-');
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="evidence-${principal.org}-${stamp}.zip"`)
        .header('x-proofpane-manifest-sha256', pack.manifestSha256)
        .send(Buffer.from(pack.zip.buffer, pack.zip.byteOffset, pack.zip.byteLength));
    },
  );

  api.get(
    '/.well-known/proofpane-keys.json',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Current and retired Ed25519 keys that sign checkpoints and packs',
        response: { 200: z.object({ keys: z.array(publishedKey) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return { keys: runtime.keyring.published() };
    },
  );

  const { checkpointIntervalMs, checkpointEveryEvents } = runtime.config;
  // One signer per deployment: two would sign the same growth twice.
  if (checkpointIntervalMs > 0)
    app.loops.register({
      name: 'evidence-checkpoints',
      duty: 'worker',
      scope: 'once',
      start: () =>
        startCheckpointer({
          store: runtime.store,
          signer: () => runtime.keyring.signer,
          intervalMs: checkpointIntervalMs,
          everyEvents: checkpointEveryEvents,
          onError: (error, org) => app.log.error({ err: error, org }, 'checkpoint failed'),
        }),
    });
};
