import {
  assignTriageBody,
  judgeBody,
  judgeResult,
  resolveTriageBody,
  type TriageItem,
  triageItem,
  triageList,
  triageParams,
  triageQuery,
} from '@proofpane/api';
import { handleTriageCommand, runOfTriageItem, type TriageCommand } from '@proofpane/commands';
import { decodeTriageCursor, getTriageItem, listTriageItems } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Principal, principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import type { JudgeService } from './service.js';

const invalid = (field: string, message: string) =>
  apiError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });

const callerOf = (p: Principal) => ({
  ...(p.userId ? { userId: p.userId } : {}),
  ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}),
  ...(p.agent ? { agent: p.agent } : {}),
});

/**
 * `/api/quality/judge` and `/api/quality/triage` (docs/quality.md). Members ask for verdicts and read the
 * queue; an admin assigns an item to a member; an admin, an owner or the item's assignee resolves it. The
 * decider on the item's own events decides, so a lagging read model never lets a resolved item be
 * resolved again. Every query is scoped by the principal's org.
 */
export function qualityJudgeRoutes(options: { service: JudgeService }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['quality'];
    const { store, database } = app.runtime;

    api.post(
      '/api/quality/judge',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary:
            'An L4 verdict: recorded on a skill run (cp.quality.l4.judged), or a dry verdict on an output',
          body: judgeBody,
          response: { 200: judgeResult },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return options.service.judge({
          org: principal.org,
          actor: principal.actor,
          caller: callerOf(principal),
          body: request.body,
        });
      },
    );

    api.get(
      '/api/quality/triage',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's triage items, newest first, by status and skill; `next` continues with `after`",
          querystring: triageQuery,
          response: { 200: triageList },
        },
      },
      async (request) => {
        const { status, skill, after, limit } = request.query;
        const cursor = after === undefined ? undefined : decodeTriageCursor(after);
        if (after !== undefined && !cursor)
          throw invalid('querystring.after', 'not a cursor this list gave; pass its `next` as is');
        return listTriageItems(database.db, {
          org: principalOf(request).org,
          status,
          skill,
          after: cursor,
          limit,
        });
      },
    );

    /** Decides on the item's events, then answers with the read model's row as the event leaves it. */
    const decide = async (
      principal: Principal,
      itemId: string,
      command: TriageCommand,
    ): Promise<TriageItem> => {
      const runId = runOfTriageItem(itemId);
      if (!runId) throw apiError('quality_triage_not_found', `no triage item ${itemId} in this org`);
      const [event] = await handleTriageCommand({
        store,
        org: principal.org,
        runId,
        actor: principal.actor,
        command,
      });
      const item = await getTriageItem(database.db, { org: principal.org, itemId });
      if (!item) throw apiError('quality_triage_not_found', `no triage item ${itemId} in this org`);
      const at = event?.time ?? new Date().toISOString();
      if (command.type === 'assign') return { ...item, status: 'assigned', assignee: command.assignee };
      if (command.type === 'resolve')
        return {
          ...item,
          status: 'resolved',
          resolution: command.resolution,
          note: command.note,
          resolvedBy: principal.actor.id,
          resolvedAt: at,
        };
      return item;
    };

    api.post(
      '/api/quality/triage/:id/assign',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Assign a triage item to a member of the org (cp.quality.triage.assigned)',
          params: triageParams,
          body: assignTriageBody,
          response: { 200: triageItem },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { assignee } = request.body;
        const role = await app.identityPort.membershipRole({ org: principal.org, userId: assignee });
        if (!role) throw apiError('quality_assignee_not_member', `${assignee} is not a member of this org`);
        return decide(principal, request.params.id, { type: 'assign', assignee });
      },
    );

    api.post(
      '/api/quality/triage/:id/resolve',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary:
            'Resolve a triage item as a true positive, a false positive or fixed (cp.quality.triage.resolved)',
          params: triageParams,
          body: resolveTriageBody,
          response: { 200: triageItem },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return decide(principal, request.params.id, {
          type: 'resolve',
          resolution: request.body.resolution,
          note: request.body.note,
          by: principal.userId ?? principal.actor.id,
          privileged: principal.role === 'admin' || principal.role === 'owner',
        });
      },
    );
  };
}
