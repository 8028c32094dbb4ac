import {
  confirmTierBody,
  createUseCaseBody,
  suggestTierBody,
  tierSuggestionResult,
  transitionUseCaseBody,
  updateUseCaseBody,
  useCaseDetail,
  useCaseHistory,
  useCaseHistoryQuery,
  useCaseList,
  useCaseListQuery,
  useCaseParams,
  useCaseRuns,
  useCaseRunsQuery,
} from '@proofpane/api';
import {
  handleUseCaseCommand,
  hasRole,
  loadUseCase,
  PROVIDER_IDS,
  type ProviderId,
  suggestUseCaseTier,
  USE_CASE_FACT_TYPES,
  type UseCaseCommand,
  type UseCaseRequester,
  useCaseSubject,
} from '@proofpane/commands';
import { newId } from '@proofpane/core';
import { decodeUseCaseCursor, listUseCaseRuns, listUseCases } from '@proofpane/projections';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { type Principal, principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import type { SkillRunner } from '../skills/routes.js';
import { useCaseDetailOf } from './detail.js';
import { historyEntry } from './history.js';

/**
 * The person accountable for a request: the signed-in user, or for an org API key the user who created
 * it, so that nobody approves their own submission through a key of their own (four eyes).
 */
async function requesterOf(db: Kysely<unknown>, principal: Principal): Promise<UseCaseRequester> {
  const reviewer = hasRole({ role: principal.role, required: 'admin' });
  if (principal.actor.kind !== 'apikey') return { id: principal.actor.id, reviewer };
  const { rows } = await sql<{ created_by: string }>`
    SELECT created_by FROM identity_api_keys WHERE org = ${principal.org} AND id = ${principal.actor.id}`.execute(
    db,
  );
  return { id: rows[0]?.created_by ?? principal.actor.id, reviewer };
}

function cursor(after: string | undefined, field: string) {
  if (after === undefined) return undefined;
  const decoded = decodeUseCaseCursor(after);
  if (!decoded)
    throw apiError('validation_failed', `${field}: not a cursor this list gave; pass its \`next\` as is`, {
      errors: [{ field, message: 'not a cursor this list gave' }],
    });
  return decoded;
}

/**
 * `/api/use-cases`: members register, edit, submit and read the org's AI use cases and ask for a tier
 * suggestion; the decider lets only admins and owners send back, approve and retire, and never the
 * case's submitter or its editors during review. Every query is scoped by the principal's org.
 */
export function useCaseRoutes(options: { run: SkillRunner }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['use-cases'];
    const member = { onRequest: requireRole('member') };
    const { store, database } = app.runtime;

    const ownerIsMember = async (org: string, ownerId: string | undefined) =>
      ownerId === undefined ||
      (await app.identityPort.membershipRole({ org, userId: ownerId })) !== undefined;

    const detail = async (org: string, useCaseId: string) => {
      const loaded = await loadUseCase({ store, org, useCaseId });
      if (!loaded) throw apiError('usecase_not_found', `no use case ${useCaseId} in this org`);
      return useCaseDetailOf(useCaseId, loaded.state, loaded.version);
    };

    const decide = async (request: FastifyRequest, command: UseCaseCommand) => {
      const principal = principalOf(request);
      await handleUseCaseCommand({ store, org: principal.org, actor: principal.actor, command });
      return detail(principal.org, command.useCaseId);
    };

    api.post(
      '/api/use-cases',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Register an AI use case, as a draft',
          body: createUseCaseBody,
          response: { 201: useCaseDetail },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const useCaseId = newId('uc');
        const answer = await decide(request, {
          type: 'register',
          useCaseId,
          fields: request.body,
          ownerIsMember: await ownerIsMember(principal.org, request.body.ownerId),
          by: await requesterOf(database.db, principal),
        });
        reply.status(201);
        return answer;
      },
    );

    api.get(
      '/api/use-cases',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "The org's use cases, newest first, by status and tier; `next` continues with `after`",
          querystring: useCaseListQuery,
          response: { 200: useCaseList },
        },
      },
      async (request) => {
        const { status, tier, after, limit } = request.query;
        return listUseCases(database.db, {
          org: principalOf(request).org,
          status,
          tier,
          after: cursor(after, 'querystring.after'),
          limit,
        });
      },
    );

    api.get(
      '/api/use-cases/:id',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'One use case, as its events leave it now, with its tier suggestions',
          params: useCaseParams,
          response: { 200: useCaseDetail },
        },
      },
      async (request) => detail(principalOf(request).org, request.params.id),
    );

    api.patch(
      '/api/use-cases/:id',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Edit intake fields; only real changes are recorded, a material one re-opens review',
          params: useCaseParams,
          body: updateUseCaseBody,
          response: { 200: useCaseDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return decide(request, {
          type: 'update',
          useCaseId: request.params.id,
          values: request.body,
          ownerIsMember: await ownerIsMember(principal.org, request.body.ownerId),
          by: await requesterOf(database.db, principal),
        });
      },
    );

    api.post(
      '/api/use-cases/:id/transition',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Move a case along its lifecycle: submit, send back, approve (four eyes), retire',
          params: useCaseParams,
          body: transitionUseCaseBody,
          response: { 200: useCaseDetail },
        },
      },
      async (request) =>
        decide(request, {
          type: 'transition',
          useCaseId: request.params.id,
          to: request.body.to,
          note: request.body.note || undefined,
          by: await requesterOf(database.db, principalOf(request)),
        }),
    );

    api.post(
      '/api/use-cases/:id/suggest-tier',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary:
            'Screen the case with risk.eu_ai_act_tier (a governed skill run) and record the suggestion',
          params: useCaseParams,
          body: suggestTierBody,
          response: { 200: tierSuggestionResult },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { provider, model } = request.body;
        if (provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(provider))
          throw apiError('validation_failed', `body.provider: one of ${PROVIDER_IDS.join(', ')}`, {
            errors: [{ field: 'body.provider', message: `must be one of ${PROVIDER_IDS.join(', ')}` }],
          });
        return suggestUseCaseTier({
          store,
          runSkill: options.run,
          org: principal.org,
          actor: principal.actor,
          caller: {
            ...(principal.userId ? { userId: principal.userId } : {}),
            ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
          },
          useCaseId: request.params.id,
          provider: provider as ProviderId | undefined,
          model,
        });
      },
    );

    api.post(
      '/api/use-cases/:id/confirm-tier',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "Confirm a tier suggestion: it becomes the case's tier",
          params: useCaseParams,
          body: confirmTierBody,
          response: { 200: useCaseDetail },
        },
      },
      async (request) =>
        decide(request, {
          type: 'confirm_tier',
          useCaseId: request.params.id,
          runId: request.body.runId,
          annexIIIArea: request.body.annexIIIArea,
          by: await requesterOf(database.db, principalOf(request)),
        }),
    );

    api.get(
      '/api/use-cases/:id/history',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "The case's events in log order: edits by field name, moves with notes, tier suggestions",
          params: useCaseParams,
          querystring: useCaseHistoryQuery,
          response: { 200: useCaseHistory },
        },
      },
      async (request) => {
        const { org } = principalOf(request);
        const { id } = request.params;
        const { after, limit } = request.query;
        const events = (await store.readSubject({ org, subject: useCaseSubject(id) })).filter((e) =>
          (USE_CASE_FACT_TYPES as readonly string[]).includes(e.type),
        );
        if (events.length === 0) throw apiError('usecase_not_found', `no use case ${id} in this org`);
        const from = after === undefined ? 0 : Number(after);
        const page = events.filter((e) => e.seq > from).slice(0, limit + 1);
        const entries = page.slice(0, limit).map(historyEntry);
        const last = entries.at(-1);
        return { entries, next: page.length > limit && last ? String(last.seq) : null };
      },
    );

    api.get(
      '/api/use-cases/:id/runs',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'The workflow and skill runs that named the case, with cost and outcome, newest first',
          params: useCaseParams,
          querystring: useCaseRunsQuery,
          response: { 200: useCaseRuns },
        },
      },
      async (request) => {
        const { org } = principalOf(request);
        const { id } = request.params;
        if (!(await loadUseCase({ store, org, useCaseId: id })))
          throw apiError('usecase_not_found', `no use case ${id} in this org`);
        return listUseCaseRuns(database.db, {
          org,
          useCaseId: id,
          after: cursor(request.query.after, 'querystring.after'),
          limit: request.query.limit,
        });
      },
    );
  };
}
