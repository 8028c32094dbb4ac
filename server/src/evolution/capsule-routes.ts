import { capsuleDetail, capsuleList, capsuleParams, capsulesQuery, emptyBody } from '@proofpane/api';
import { evolvableSkill, evolvableSkills, handleEvolutionCommand } from '@proofpane/commands';
import {
  capsuleActivations,
  capsuleById,
  capsuleRuns,
  listCapsules,
  listGenes,
} from '@proofpane/projections';
import { createTwoFilesPatch } from 'diff';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { personOf } from './person.js';
import { skillLog } from './skill-log.js';
import { capsuleView } from './views.js';

const RECENT_RUNS = 20;

/** A unified diff of one capsule's text to the next one's, headed by their ids. */
const patch = (from: { id: string; text: string }, to: { id: string; text: string }) =>
  createTwoFilesPatch(from.id, to.id, from.text, to.text, '', '', { context: 3 });

/**
 * `/api/capsules` (docs/evolution.md): members read the org's capsules, each with its text, genes, the
 * diff from the capsule composed before it and the runs it answered; admins and owners activate one,
 * which is also how a rollback is made. Every query is scoped by the principal's org.
 */
export function capsuleRoutes(): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['evolution'];
    const { store, database } = app.runtime;
    const db = database.db;

    /**
     * The skill a capsule belongs to: the read model knows it, and a capsule composed a moment ago that it
     * has not applied yet is looked for in each evolvable skill's subject of the org.
     */
    const skillOfCapsule = async (org: string, capsuleId: string): Promise<string> => {
      const row = await capsuleById(db, { org, capsuleId });
      if (row && evolvableSkill(row.skill)) return row.skill;
      if (!row)
        for (const { id } of evolvableSkills())
          if ((await skillLog({ store, org, skill: id })).capsules.has(capsuleId)) return id;
      throw apiError('evolution_capsule_not_found', `no capsule ${capsuleId} in this org`);
    };

    /** A capsule as its skill's subject holds it, with the read model's usage when it has the row. */
    const fromLog = async (org: string, skill: string, capsuleId: string) => {
      const row = await capsuleById(db, { org, capsuleId });
      const { genes, capsules } = await skillLog({ store, org, skill });
      const logged = capsules.get(capsuleId);
      if (!logged) throw apiError('evolution_capsule_not_found', `no capsule ${capsuleId} in this org`);
      const previous = logged.previousCapsuleId ? capsules.get(logged.previousCapsuleId) : undefined;
      const { text, ...summary } = logged;
      return {
        ...summary,
        runs: row?.runs ?? 0,
        lastRunAt: row?.lastRunAt ?? null,
        text,
        geneTexts: logged.genes.map((id) => ({ id, text: genes.get(id)?.text ?? '' })),
        diff: previous ? patch(previous, logged) : null,
        recentRuns: [],
      };
    };

    const detail = async (org: string, capsuleId: string) => {
      const row = await capsuleById(db, { org, capsuleId });
      // Composed a moment ago and not yet applied by the read model: read-your-writes from the log.
      if (!row) return fromLog(org, await skillOfCapsule(org, capsuleId), capsuleId);
      const previous = row.previousCapsuleId
        ? await capsuleById(db, { org, capsuleId: row.previousCapsuleId })
        : undefined;
      const genes = await listGenes(db, { org, skill: row.skill, limit: 1_000 });
      const textOf = new Map(genes.map((g) => [g.geneId, g.text]));
      const runs = await capsuleRuns(db, { org, capsuleId, skill: row.skill, limit: RECENT_RUNS });
      return {
        ...capsuleView(row),
        text: row.text,
        geneTexts: row.genes.map((id) => ({ id, text: textOf.get(id) ?? '' })),
        diff: previous
          ? patch({ id: previous.capsuleId, text: previous.text }, { id: row.capsuleId, text: row.text })
          : null,
        recentRuns: runs.map((r) => ({ runId: r.runId, startedAt: r.startedAt, status: r.status })),
      };
    };

    api.get(
      '/api/capsules',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's capsules, newest first, and the activations that put them in force",
          querystring: capsulesQuery,
          response: { 200: capsuleList },
        },
      },
      async (request) => {
        const org = principalOf(request).org;
        const { skill, limit } = request.query;
        const [capsules, activations] = await Promise.all([
          listCapsules(db, { org, skill, limit }),
          capsuleActivations(db, { org, skill, limit }),
        ]);
        return {
          capsules: capsules.map(capsuleView),
          activations: activations.map(({ seq: _seq, ...a }) => a),
        };
      },
    );

    api.get(
      '/api/capsules/:id',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary:
            'One capsule: its text, genes, the diff from the previous capsule and the runs it answered',
          params: capsuleParams,
          response: { 200: capsuleDetail },
        },
      },
      async (request) => detail(principalOf(request).org, request.params.id),
    );

    api.post(
      '/api/capsules/:id/activate',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "Make the capsule the skill's active one; activating an older capsule rolls back",
          params: capsuleParams,
          body: emptyBody,
          response: { 200: capsuleDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const skill = await skillOfCapsule(principal.org, request.params.id);
        await handleEvolutionCommand({
          store,
          org: principal.org,
          actor: principal.actor,
          command: {
            type: 'activate',
            capsuleId: request.params.id,
            skill,
            by: await personOf(db, principal),
          },
        });
        // Answered from the log, so the activation shows whatever the read model's lag.
        return fromLog(principal.org, skill, request.params.id);
      },
    );
  };
}
