import {
  type ApproverPairing,
  type ApproverPairingCode,
  approverPairBody,
  type HitlList,
  type HitlPrecedents,
  type HitlRequest,
  hitlListQuery,
  hitlResolveBody,
  pairedApprover,
  pairedApproverList,
} from '@proofpane/api';
import type { Actor } from '@proofpane/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { idParams } from '../http/route-params.js';
import { authRateLimit, bearer } from '../http/route-security.js';
import type { Approvers } from './approvers.js';
import { HITL_EVENT_TYPES, type HitlFeed, isRevocationOf, sseMessage } from './feed.js';
import type { HitlService } from './service.js';

interface Reviewer {
  org: string;
  actor: Actor;
  /** Set when the reviewer is a desktop approver, whose stream ends when it is revoked. */
  approverId?: string;
}

const reviewers = new WeakMap<FastifyRequest, Reviewer>();

/** Admins, owners, and desktop approvers (acting for the admin who paired them) may review. */
function requireReviewer(approvers: Approvers, minimum: 'member' | 'admin'): onRequestAsyncHookHandler {
  const fallback = requireRole(minimum);
  return async function reviewerHook(request: FastifyRequest, reply: FastifyReply) {
    const approver = await approvers.fromRequest(request);
    if (approver) {
      reviewers.set(request, {
        org: approver.org,
        actor: { kind: 'user', id: approver.createdBy },
        approverId: approver.id,
      });
      return;
    }
    await fallback.call(this, request, reply);
    const principal = principalOf(request);
    reviewers.set(request, { org: principal.org, actor: principal.actor });
  };
}

const reviewerOf = (request: FastifyRequest) => reviewers.get(request)!;

export function hitlRoutes(options: {
  service: HitlService;
  feed: HitlFeed;
  approvers: Approvers;
  pairRateLimit: number;
}): FastifyPluginAsync {
  const { service, feed, approvers } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['hitl'];

    api.get(
      '/api/hitl',
      {
        onRequest: requireReviewer(approvers, 'member'),
        schema: {
          tags,
          security: bearer,
          summary: 'Approval requests, newest first',
          querystring: hitlListQuery,
        },
      },
      async (request): Promise<HitlList> => service.list({ org: reviewerOf(request).org, ...request.query }),
    );

    api.get(
      '/api/hitl/stream',
      {
        onRequest: requireReviewer(approvers, 'member'),
        schema: { tags, security: bearer, summary: 'Server-sent HITL events: hitl.requested, hitl.resolved' },
      },
      async (request, reply) => {
        const { org, approverId } = reviewerOf(request);
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-request-id': String(request.id),
        });
        const send = (event: Parameters<typeof sseMessage>[0]) => {
          const message = sseMessage(event);
          if (message)
            raw.write(`id: ${event.seq}\nevent: ${message.name}\ndata: ${JSON.stringify(message.data)}\n\n`);
        };
        raw.write(': connected\n\n');
        const lastId = Number(request.headers['last-event-id']);
        if (Number.isInteger(lastId) && lastId > 0) {
          const missed = await app.runtime.store.readOrg({ org, fromSeq: lastId + 1, limit: 1_000 });
          for (const event of missed) if (HITL_EVENT_TYPES.includes(event.type)) send(event);
        }
        const finish = () => {
          clearInterval(heartbeat);
          stop();
        };
        const stop = feed.listen(org, (event) => {
          if (!approverId || !isRevocationOf(event, approverId)) return send(event);
          finish();
          // The socket goes too: a revoked approver keeps nothing open, and reconnecting gets 401.
          raw.end(() => raw.destroy());
        });
        const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), 15_000);
        request.raw.on('close', finish);
      },
    );

    api.get(
      '/api/hitl/precedents',
      {
        onRequest: requireReviewer(approvers, 'member'),
        schema: { tags, security: bearer, summary: 'Human decisions that guide auto-approval' },
      },
      async (request): Promise<HitlPrecedents> => ({
        precedents: await service.precedents({ org: reviewerOf(request).org }),
      }),
    );

    api.delete(
      '/api/hitl/precedents/:id',
      {
        onRequest: requireReviewer(approvers, 'admin'),
        schema: { tags, security: bearer, summary: 'Revoke a precedent', params: idParams },
      },
      async (request, reply) => {
        const reviewer = reviewerOf(request);
        await service.revokePrecedent({
          org: reviewer.org,
          requestId: request.params.id,
          actor: reviewer.actor,
        });
        return reply.status(204).send();
      },
    );

    api.get(
      '/api/hitl/:id',
      {
        onRequest: requireReviewer(approvers, 'member'),
        schema: { tags, security: bearer, summary: 'One approval request', params: idParams },
      },
      async (request): Promise<HitlRequest> =>
        service.get({ org: reviewerOf(request).org, requestId: request.params.id }),
    );

    api.post(
      '/api/hitl/:id/resolve',
      {
        onRequest: requireReviewer(approvers, 'admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Approve or deny a pending request (once)',
          params: idParams,
          body: hitlResolveBody,
        },
      },
      async (request): Promise<HitlRequest> => {
        const reviewer = reviewerOf(request);
        return service.resolve({
          org: reviewer.org,
          requestId: request.params.id,
          actor: reviewer.actor,
          ...request.body,
        });
      },
    );

    api.post(
      '/api/hitl/approvers/pairing-codes',
      {
        onRequest: requireRole('admin'),
        schema: { tags, security: bearer, summary: 'A single-use code to pair the desktop approver' },
      },
      async (request, reply): Promise<ApproverPairingCode> => {
        const principal = principalOf(request);
        reply.status(201);
        return approvers.createCode({ org: principal.org, actor: principal.actor });
      },
    );

    api.get(
      '/api/hitl/approvers',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'The desktop approvers paired with the org, newest first (never their tokens)',
          response: { 200: pairedApproverList },
        },
      },
      async (request) => ({ approvers: await approvers.list({ org: principalOf(request).org }) }),
    );

    api.delete(
      '/api/hitl/approvers/:id',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Revoke a desktop approver: its token is refused and its open stream closes at once',
          params: idParams,
          response: { 200: pairedApprover },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return approvers.revoke({
          org: principal.org,
          approverId: request.params.id,
          actor: principal.actor,
        });
      },
    );

    api.post(
      '/api/hitl/approvers/pair',
      {
        config: authRateLimit(options.pairRateLimit),
        schema: {
          tags,
          summary: 'Exchange a pairing code for a 90-day approver token',
          body: approverPairBody,
        },
      },
      async (request, reply): Promise<ApproverPairing> => {
        const paired = await approvers.pair(request.body);
        const orgName = await app.identity.db
          .selectFrom('identity_orgs')
          .select('name')
          .where('id', '=', paired.org)
          .executeTakeFirst();
        reply.status(201);
        return { ...paired, orgName: orgName?.name ?? paired.org };
      },
    );
  };
}
