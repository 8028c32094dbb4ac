import {
  emptyBody,
  type Gene,
  gene,
  geneList,
  geneParams,
  genesQuery,
  proposeGeneBody,
  rejectGeneBody,
  replayGeneBody,
} from '@proofpane/api';
import {
  configuredL4,
  evolvableSkill,
  evolvableSkills,
  type Gateway,
  handleEvolutionCommand,
  keptSkillInputs,
  l4ReplayJudge,
  loadEvolutionSettings,
  recordedThenEvalCases,
  replayGene,
} from '@proofpane/commands';
import { newId } from '@proofpane/core';
import { geneById, listGenes } from '@proofpane/projections';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { evolutionBudget } from './budget.js';
import { personOf } from './person.js';
import { skillLog } from './skill-log.js';
import { geneView } from './views.js';

/**
 * `/api/genes` (docs/evolution.md): members list and propose genes; admins and owners approve, reject,
 * deprecate and replay them, and the person who proposed a gene cannot approve it. Every query is
 * scoped by the principal's org.
 */
export function geneRoutes(options: { gateway: Pick<Gateway, 'complete'> }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['evolution'];
    const { store, database } = app.runtime;
    const db = database.db;

    const skillOf = (id: string) => {
      const skill = evolvableSkill(id);
      if (!skill) throw apiError('evolution_skill_not_found', `no skill "${id}" can evolve`);
      return skill;
    };
    /**
     * A gene as its skill's subject tells it now. The read model names the skill; a gene proposed a moment
     * ago that it has not applied yet is looked for in each evolvable skill's subject of the org.
     */
    const found = async (org: string, geneId: string): Promise<Gene> => {
      const row = await geneById(db, { org, geneId });
      const skills = row ? [row.skill] : evolvableSkills().map((s) => s.id);
      for (const skill of skills) {
        const logged = (await skillLog({ store, org, skill })).genes.get(geneId);
        if (logged) return logged;
      }
      throw apiError('evolution_gene_not_found', `no gene ${geneId} in this org`);
    };

    api.get(
      '/api/genes',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's genes, newest first, of one skill and status when asked",
          querystring: genesQuery,
          response: { 200: geneList },
        },
      },
      async (request) => {
        const { skill, status, limit } = request.query;
        const rows = await listGenes(db, { org: principalOf(request).org, skill, status, limit });
        return { genes: rows.map(geneView) };
      },
    );

    api.get(
      '/api/genes/:id',
      {
        onRequest: requireRole('member'),
        schema: { tags, security: bearer, summary: 'One gene', params: geneParams, response: { 200: gene } },
      },
      async (request) => found(principalOf(request).org, request.params.id),
    );

    api.post(
      '/api/genes',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "Propose a gene: one instruction for one skill's prompt; it waits for another person",
          body: proposeGeneBody,
          response: { 201: gene },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const skill = skillOf(request.body.skill);
        const settings = await loadEvolutionSettings({ store, org: principal.org });
        const geneId = newId('gene');
        await handleEvolutionCommand({
          store,
          org: principal.org,
          actor: principal.actor,
          command: {
            type: 'propose',
            geneId,
            skill: skill.id,
            text: request.body.text,
            rationale: request.body.rationale,
            motivatingEventIds: request.body.motivatingEventIds,
            origin: 'person',
            proposedBy: await personOf(db, principal),
            maxOpenProposals: settings.maxOpenProposals,
          },
        });
        reply.status(201);
        return found(principal.org, geneId);
      },
    );

    const decision = (
      move: 'approve' | 'reject' | 'deprecate',
      summary: string,
      body: typeof emptyBody | typeof rejectGeneBody,
    ) =>
      api.post(
        `/api/genes/:id/${move}`,
        {
          onRequest: requireRole('admin'),
          schema: { tags, security: bearer, summary, params: geneParams, body, response: { 200: gene } },
        },
        async (request: FastifyRequest<{ Params: { id: string }; Body: { reason?: string } }>) => {
          const principal = principalOf(request);
          const current = await found(principal.org, request.params.id);
          const skill = skillOf(current.skill);
          const by = await personOf(db, principal);
          const geneId = current.id;
          const command =
            move === 'approve'
              ? ({ type: 'approve', geneId, skill: skill.id, by, basePrompt: skill.basePrompt } as const)
              : move === 'reject'
                ? ({ type: 'reject', geneId, skill: skill.id, by, reason: request.body?.reason } as const)
                : ({
                    type: 'deprecate',
                    geneId,
                    skill: skill.id,
                    by,
                    basePrompt: skill.basePrompt,
                    rule: 'person',
                  } as const);
          await handleEvolutionCommand({ store, org: principal.org, actor: principal.actor, command });
          return found(principal.org, geneId);
        },
      );
    decision(
      'approve',
      'Approve a proposed gene: composes the next capsule, which is not active until activated',
      emptyBody,
    );
    decision('reject', 'Reject a proposed gene; it never enters a capsule', rejectGeneBody);
    decision(
      'deprecate',
      "Deprecate an approved gene: the skill's next capsule is composed without it",
      emptyBody,
    );

    api.post(
      '/api/genes/:id/replay',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary:
            "Replay the skill's inputs with the gene's candidate capsule and the active one, judged pairwise",
          params: geneParams,
          body: replayGeneBody,
          response: { 200: gene },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const current = await found(principal.org, request.params.id);
        const settings = await loadEvolutionSettings({ store, org: principal.org });
        const budget = await evolutionBudget(db, { org: principal.org, settings, now: new Date() });
        if (budget.exhausted)
          throw apiError(
            'evolution_budget_exhausted',
            `the evolution line has spent ${budget.spentMicros} of ${budget.budgetMicros} micro-dollars this month`,
          );
        // The org's kept, masked inputs of the skill first, newest first; eval cases fill up to K.
        const inputs = recordedThenEvalCases(keptSkillInputs({ db, store }));
        // An org that set up its L4 judge has replays judged by it, on the evolution line.
        const l4 = await configuredL4({ store, org: principal.org });
        const judge = l4
          ? l4ReplayJudge(
              { store, gateway: options.gateway },
              { org: principal.org, actor: principal.actor, settings: l4 },
            )
          : undefined;
        await replayGene(
          { store, gateway: options.gateway, inputs, ...(judge ? { judge } : {}) },
          {
            org: principal.org,
            actor: principal.actor,
            skill: current.skill,
            geneId: current.id,
            limit: request.body.inputs ?? settings.replayInputs,
            model: settings.model,
          },
        );
        return found(principal.org, current.id);
      },
    );
  };
}
