import {
  connectIntegrationBody,
  connectIntegrationParams,
  gmailCallbackBody,
  gmailConnectBody,
  gmailConnectStarted,
  gmailTriageResult,
  integrationActivity,
  integrationConnection,
  integrationList,
  integrationParams,
  integrationUpdateBody,
  leadIntakeBody,
  leadIntakeResult,
  salesforceHeldWrites,
  slackAlertBody,
  slackAlertPosted,
} from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole, requireUser } from '../auth/index.js';
import { bearer } from '../http/route-security.js';
import type { IntegrationService } from './service.js';

const activityQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/**
 * `/api/integrations`: members list connections and the recent reads and writes (names only); admins and
 * owners connect, disconnect and post a Slack alert. The Gmail consent is started and finished by the
 * same signed-in person, whom the OAuth state names.
 */
export function integrationRoutes(options: { service: IntegrationService }): FastifyPluginAsync {
  const { service } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['integrations'];
    const reader = { onRequest: requireRole('member') };
    const admin = { onRequest: requireRole('admin') };

    api.get(
      '/api/integrations',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: "The org's connections, newest first",
          response: { 200: integrationList },
        },
      },
      async (request) => ({ integrations: await service.list(principalOf(request).org) }),
    );

    api.get(
      '/api/integrations/activity',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'Recent reads and writes of external systems: object, operation and field names',
          querystring: activityQuery,
          response: { 200: integrationActivity },
        },
      },
      async (request) => ({
        activity: await service.activity({ org: principalOf(request).org, limit: request.query.limit }),
      }),
    );

    api.get(
      '/api/integrations/salesforce/held-writes',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'Salesforce lead writes held for a person: lead id, field names, state and who decided',
          querystring: activityQuery,
          response: { 200: salesforceHeldWrites },
        },
      },
      async (request) => ({
        writes: await service.heldWrites({ org: principalOf(request).org, limit: request.query.limit }),
      }),
    );

    api.post(
      '/api/integrations/:kind/connect',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Connect Salesforce (password or refresh token) or Slack (bot token or webhook)',
          params: connectIntegrationParams,
          body: connectIntegrationBody,
          response: { 201: integrationConnection },
        },
      },
      async (request, reply) => {
        const { org, actor } = principalOf(request);
        const connection = await service.connect({
          org,
          actor,
          kind: request.params.kind,
          body: request.body,
        });
        reply.status(201);
        return connection;
      },
    );

    api.post(
      '/api/integrations/gmail/connect',
      {
        onRequest: [requireRole('admin'), requireUser()],
        schema: {
          tags,
          security: bearer,
          summary:
            "Start Gmail's OAuth consent: the URL to send the browser to, its state bound to you and the org",
          body: gmailConnectBody,
          response: { 200: gmailConnectStarted },
        },
      },
      async (request) => {
        const p = principalOf(request);
        return service.gmailStart({ org: p.org, user: p.userId ?? p.actor.id });
      },
    );

    api.post(
      '/api/integrations/gmail/callback',
      {
        onRequest: [requireRole('admin'), requireUser()],
        schema: {
          tags,
          security: bearer,
          summary: "Finish Gmail's consent with the code and state Google put on the redirect",
          body: gmailCallbackBody,
          response: { 201: integrationConnection },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const connection = await service.gmailCallback({
          org: p.org,
          user: p.userId ?? p.actor.id,
          actor: p.actor,
          code: request.body.code,
          state: request.body.state,
          label: request.body.label,
        });
        reply.status(201);
        return connection;
      },
    );

    api.patch(
      '/api/integrations/:id',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary:
            "Change a Slack connection's alert kinds; HITL alerts need its signing secret and approvers",
          params: integrationParams,
          body: integrationUpdateBody,
          response: { 200: integrationConnection },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.setAlerts({ org, actor, id: request.params.id, alerts: request.body.alerts });
      },
    );

    api.delete(
      '/api/integrations/:id',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Disconnect; the sealed credential is deleted',
          params: integrationParams,
        },
      },
      async (request, reply) => {
        const { org, actor } = principalOf(request);
        await service.disconnect({ org, actor, id: request.params.id });
        reply.status(204);
      },
    );

    api.post(
      '/api/integrations/:id/salesforce/lead-intake',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Classify the Leads changed since the last pass and write the classification back',
          params: integrationParams,
          body: leadIntakeBody,
          response: { 200: leadIntakeResult },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.salesforceLeadIntake({
          org,
          actor,
          connectionId: request.params.id,
          limit: request.body.limit,
        });
      },
    );

    api.post(
      '/api/integrations/:id/gmail/triage',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Triage the messages new since the last pass and label them; nothing is sent',
          params: integrationParams,
          response: { 200: gmailTriageResult },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.gmailTriage({ org, actor, connectionId: request.params.id });
      },
    );

    api.post(
      '/api/integrations/:id/slack-alert',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Post a drift, budget or HITL alert to the Slack connection as Block Kit',
          params: integrationParams,
          body: slackAlertBody,
          response: { 200: slackAlertPosted },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.postSlackAlert({ org, actor, connectionId: request.params.id, alert: request.body });
      },
    );
  };
}
