import { runSkillBody, skillCatalogue, skillDetail, skillParams, skillRunResult } from '@proofpane/api';
import {
  getSkill,
  PROVIDER_IDS,
  type ProviderId,
  type RunSkillRequest,
  type Skill,
  SkillRunError,
  type SkillRunResult,
  skillsByCategory,
} from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgentMismatch, agentOf, principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';

/** Runs a skill for a caller; the plugin binds it to the app's store and gateway. */
export type SkillRunner = (request: RunSkillRequest) => Promise<SkillRunResult>;

const summary = (s: Skill) => ({
  id: s.id,
  category: s.category,
  title: s.title,
  description: s.description,
  version: s.version,
  controls: [...s.controls],
  allowedTools: [...s.allowedTools],
});

/** A JSON Pointer under the body's `input`, as problem+json names fields (`body.input.lead.company`). */
const inputField = (pointer: string) =>
  `body.input${pointer
    .split('/')
    .slice(1)
    .map((step) => `.${step.replaceAll('~1', '/').replaceAll('~0', '~')}`)
    .join('')}`;

/** A skill failure as problem+json: its code, and the run and fields it concerns. */
function problemOf(error: SkillRunError) {
  const { runId, requestId, hitlRequestId, problems } = error.context;
  return apiError(error.code, error.message, {
    ...(runId ? { runId } : {}),
    ...(requestId ? { callRequestId: requestId } : {}),
    ...(hitlRequestId ? { hitlRequestId } : {}),
    ...(problems && error.code === 'skill_input_invalid'
      ? { errors: problems.map((p) => ({ field: inputField(p.path), message: p.message })) }
      : {}),
  });
}

/**
 * `/api/skills`: members read the catalogue and run a skill, a governed call like `/v1` (the policy, DLP,
 * budget and HITL gates decide what a run may do, not the role).
 */
export function skillRoutes(options: {
  run: SkillRunner;
  /** Whether the org has the use case a run names. */
  useCaseExists: (org: string, useCaseId: string) => Promise<boolean>;
}): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['skills'];
    const member = { onRequest: requireRole('member') };

    api.get(
      '/api/skills',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'The skill catalogue, by category',
          response: { 200: skillCatalogue },
        },
      },
      async () => ({
        categories: skillsByCategory().map((g) => ({ category: g.category, skills: g.skills.map(summary) })),
      }),
    );

    api.get(
      '/api/skills/:id',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'One skill: schemas, base prompt, controls, tools and eval cases',
          params: skillParams,
          response: { 200: skillDetail },
        },
      },
      async (request) => {
        const skill = getSkill(request.params.id);
        if (!skill) throw apiError('skill_not_found', `no skill "${request.params.id}"`);
        return {
          ...summary(skill),
          inputSchema: skill.inputSchema,
          outputSchema: skill.outputSchema,
          basePrompt: skill.basePrompt,
          evalCases: skill.evalCases.map((c) => ({
            name: c.name,
            input: c.input,
            assertions: c.assertions.map((a) => ({ ...a })),
          })),
        };
      },
    );

    api.post(
      '/api/skills/:id/run',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Run a skill as a run of its own; answers once the run ends',
          params: skillParams,
          headers: z
            .object({
              'x-proofpane-agent': z.string().min(1).max(100).optional(),
              'x-proofpane-hitl': z.string().min(1).max(100).optional(),
            })
            .passthrough(),
          body: runSkillBody,
          response: { 200: skillRunResult },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { input, provider, model, useCaseId } = request.body;
        if (provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(provider)) {
          throw apiError('validation_failed', `body.provider: one of ${PROVIDER_IDS.join(', ')}`, {
            errors: [{ field: 'body.provider', message: `must be one of ${PROVIDER_IDS.join(', ')}` }],
          });
        }
        if (useCaseId !== undefined && !(await options.useCaseExists(principal.org, useCaseId)))
          throw apiError('usecase_not_found', `body.useCaseId: no use case ${useCaseId} in this org`);
        let agent: string | undefined;
        try {
          agent = agentOf(principal, request.headers['x-proofpane-agent']);
        } catch (error) {
          if (error instanceof AgentMismatch) throw apiError('bad_request', error.message);
          throw error;
        }
        // A client that hangs up stops the run, as a killed workflow run would.
        const stop = new AbortController();
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) stop.abort();
        });
        try {
          return await options.run({
            org: principal.org,
            actor: principal.actor,
            caller: {
              ...(principal.userId ? { userId: principal.userId } : {}),
              ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
              ...(agent ? { agent } : {}),
            },
            skillId: request.params.id,
            input,
            ...(provider ? { provider: provider as ProviderId } : {}),
            ...(model ? { model } : {}),
            ...(useCaseId ? { useCaseId } : {}),
            signal: stop.signal,
            ...(request.headers['x-proofpane-hitl']
              ? { hitlApproval: request.headers['x-proofpane-hitl'] }
              : {}),
          });
        } catch (error) {
          if (error instanceof SkillRunError) throw problemOf(error);
          throw error;
        }
      },
    );
  };
}
