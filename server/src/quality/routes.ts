import { l3CheckBody, l3CheckResult, qualitySettings } from '@proofpane/api';
import { checkText, updateQualitySettings } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';
import type { QualitySettingsCache } from './settings-cache.js';

/**
 * `/api/quality`: the L3 check as a dry run on any text, for members (a policy author testing what a
 * skill's answer would be held to; it reads the shipped catalogue only and records nothing), and the
 * org's quality settings, which members read and admins change.
 */
export function qualityRoutes(options: {
  store: EventStore;
  settings: QualitySettingsCache;
}): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['quality'];
    api.post(
      '/api/quality/l3',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'Check the control identifiers a text cites against the control catalogue (dry run)',
          body: l3CheckBody,
          response: { 200: l3CheckResult },
        },
      },
      async (request) => checkText({ text: request.body.text, framework: request.body.framework }),
    );

    api.get(
      '/api/quality/settings',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's quality settings",
          response: { 200: qualitySettings },
        },
      },
      async (request) => options.settings.get(principalOf(request).org),
    );

    api.put(
      '/api/quality/settings',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "Change the org's quality settings (recorded as cp.quality.settings.updated)",
          body: qualitySettings,
          response: { 200: qualitySettings },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const settings = await updateQualitySettings({
          store: options.store,
          org: principal.org,
          actor: principal.actor,
          settings: request.body,
        });
        options.settings.set(principal.org, settings);
        return settings;
      },
    );
  };
}
