import {
  emptyBody,
  promotePuItemBody,
  puItemList,
  puItemParams,
  puItemsQuery,
  puPassResult,
  puSettings,
} from '@proofpane/api';
import { loadPuSettings, updatePuSettings } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';
import type { PuService } from './service.js';

/**
 * `/api/parallel-universe` (docs/parallel-universe.md): members read items, the budget meter and the
 * settings; admins and owners change the settings, run a pass now and promote. The sources' base URLs are
 * the operator's configuration, not a setting here.
 */
export function puRoutes(options: { service: PuService }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['parallel-universe'];
    const { store } = app.runtime;
    const { service } = options;

    api.get(
      '/api/parallel-universe/items',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's items, newest first, with the month's triage budget meter",
          querystring: puItemsQuery,
          response: { 200: puItemList },
        },
      },
      async (request) => service.items({ org: principalOf(request).org, ...request.query, now: new Date() }),
    );

    api.post(
      '/api/parallel-universe/items/:id/promote',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Ask a person to approve promoting an item into a gene proposal or a coder session',
          params: puItemParams,
          body: promotePuItemBody,
          response: { 202: z.object({ hitlRequestId: z.string() }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const asked = await service.promote({
          org: principal.org,
          actor: principal.actor,
          itemId: request.params.id,
          repo: request.body.repo,
        });
        reply.status(202);
        return asked;
      },
    );

    api.get(
      '/api/parallel-universe/settings',
      {
        onRequest: requireRole('member'),
        schema: { tags, security: bearer, summary: "The org's settings", response: { 200: puSettings } },
      },
      async (request) => loadPuSettings({ store, org: principalOf(request).org }),
    );

    api.put(
      '/api/parallel-universe/settings',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Turn the loop on or off, set its interval, the stale age and the monthly triage budget',
          body: puSettings,
          response: { 200: puSettings },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return updatePuSettings({
          store,
          org: principal.org,
          actor: principal.actor,
          settings: request.body,
        });
      },
    );

    api.post(
      '/api/parallel-universe/run',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'One pass now: fetch, triage under the budget, archive stale items, settle promotions',
          body: emptyBody,
          response: { 200: puPassResult },
        },
      },
      async (request) => service.pass({ org: principalOf(request).org, now: new Date(), force: true }),
    );
  };
}
