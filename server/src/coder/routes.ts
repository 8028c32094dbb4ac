import { createReadStream } from 'node:fs';
import {
  coderSession,
  coderSessionList,
  coderSessionParams,
  createCoderSessionBody,
  emptyBody,
} from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';
import type { CoderService } from './service.js';

/**
 * `/api/coder/sessions` (docs/coder.md): members create and read sessions of their org; admins and owners
 * run, apply and discard them, each a recorded decision. The org is always the principal's.
 */
export function coderRoutes(options: { service: CoderService }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['coder'];
    const { service } = options;

    api.post(
      '/api/coder/sessions',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary:
            'Create a session: with `repo`, a worktree of that repository in the workspace (Mode A); without, a new sandboxed project (Mode B). It waits for a run',
          body: createCoderSessionBody,
          response: { 201: coderSession },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const sessionId = await service.create({
          org: principal.org,
          actor: principal.actor,
          ...request.body,
        });
        reply.status(201);
        return service.get({ org: principal.org, sessionId });
      },
    );

    api.get(
      '/api/coder/sessions',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's coder sessions, newest first",
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: coderSessionList },
        },
      },
      async (request) => ({
        sessions: await service.list({ org: principalOf(request).org, limit: request.query.limit }),
      }),
    );

    api.get(
      '/api/coder/sessions/:id',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'One session: iterations, tool calls, tokens and the diff',
          params: coderSessionParams,
          response: { 200: coderSession },
        },
      },
      async (request) => service.get({ org: principalOf(request).org, sessionId: request.params.id }),
    );

    const decision = (move: 'run' | 'apply' | 'discard', summary: string) =>
      api.post(
        `/api/coder/sessions/:id/${move}`,
        {
          onRequest: requireRole('admin'),
          schema: {
            tags,
            security: bearer,
            summary,
            params: coderSessionParams,
            body: emptyBody,
            response: { [move === 'run' ? 202 : 200]: coderSession },
          },
        },
        async (request, reply) => {
          const principal = principalOf(request);
          const input = { org: principal.org, actor: principal.actor, sessionId: request.params.id };
          await service[move](input);
          if (move === 'run') reply.status(202);
          return service.get(input);
        },
      );
    decision('run', 'Run the loop of a session awaiting its run; it continues in the background');
    decision(
      'apply',
      'Apply a finished session: commit on its branch (repo) or approve the tarball (greenfield)',
    );
    decision('discard', 'Discard a session: its worktree and branch, or its folder, are removed');

    api.get(
      '/api/coder/sessions/:id/artifact',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "An applied greenfield session's tarball; its SHA-256 is on the applied event",
          params: coderSessionParams,
        },
      },
      async (request, reply) => {
        const { path, sha256 } = await service.artifact({
          org: principalOf(request).org,
          sessionId: request.params.id,
        });
        reply
          .type('application/gzip')
          .header('content-disposition', `attachment; filename="${request.params.id}.tar.gz"`)
          .header('x-proofpane-sha256', sha256);
        return reply.send(createReadStream(path));
      },
    );
  };
}
