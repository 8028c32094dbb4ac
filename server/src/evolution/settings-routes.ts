import { dreamResult, emptyBody, evolutionSettings, evolvableSkillList } from '@proofpane/api';
import {
  evolvableSkills,
  loadEvolution,
  loadEvolutionSettings,
  openProposals,
  updateEvolutionSettings,
} from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';
import type { DreamPassResult } from './dreaming.js';

/**
 * `/api/evolution`: the skills whose prompts evolve with their active capsule and open proposals, the
 * org's evolution settings (admins change them) and a dream an admin asks for now.
 */
export function evolutionSettingsRoutes(options: {
  dreamNow: (org: string) => Promise<DreamPassResult>;
}): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['evolution'];
    const { store } = app.runtime;

    api.get(
      '/api/evolution/skills',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'The skills whose prompts evolve, with their active capsule and open proposals',
          response: { 200: evolvableSkillList },
        },
      },
      async (request) => {
        const org = principalOf(request).org;
        const skills = await Promise.all(
          evolvableSkills().map(async (s) => {
            const { state } = await loadEvolution({ store, org, skill: s.id });
            return {
              id: s.id,
              title: s.title,
              activeCapsuleId: state.activeCapsuleId,
              openProposals: openProposals(state).length,
            };
          }),
        );
        return { skills };
      },
    );

    api.get(
      '/api/evolution/settings',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's evolution settings",
          response: { 200: evolutionSettings },
        },
      },
      async (request) => loadEvolutionSettings({ store, org: principalOf(request).org }),
    );

    api.put(
      '/api/evolution/settings',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "Change the org's evolution settings, recorded as cp.evolution.settings.updated",
          body: evolutionSettings,
          response: { 200: evolutionSettings },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return updateEvolutionSettings({
          store,
          org: principal.org,
          actor: principal.actor,
          settings: request.body,
        });
      },
    );

    api.post(
      '/api/evolution/dream',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "Dream now: propose genes from the log's signals, and apply the stale rule",
          body: emptyBody,
          response: { 200: dreamResult },
        },
      },
      async (request) => options.dreamNow(principalOf(request).org),
    );
  };
}
