import type { CompiledPolicy } from '@proofpane/commands';
import { activityReport, gateRequest, gateResponse } from '@proofpane/daemon';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { authenticateDevice } from '../devices/device-auth.js';
import { hasRole } from '../identity/commands.js';
import { bearer } from '../identity/routes/schemas.js';
import type { McpActivity } from './activity.js';
import { type McpRegistry, mcpServerInput } from './registry.js';

const serverParams = z.object({ id: z.string().min(1).max(100) });
const rates = {
  calls: z.number(),
  allowRate: z.number(),
  blockRate: z.number(),
  hitlRate: z.number(),
  maskedCalls: z.number(),
  failedCalls: z.number(),
};

export function mcpRoutes(options: {
  db: Kysely<unknown>;
  registry: McpRegistry;
  activity: McpActivity;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
}): FastifyPluginAsync {
  const { registry, activity } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['mcp'];

    api.post(
      '/api/mcp/servers',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Register an MCP server (as a draft)',
          body: mcpServerInput,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        reply.status(201);
        return registry.register({ org: principal.org, actor: principal.actor, input: request.body });
      },
    );

    api.get(
      '/api/mcp/servers',
      {
        onRequest: requireRole('member'),
        schema: { tags, security: bearer, summary: 'MCP servers: published ones, or all of them for admins' },
      },
      async (request) => {
        const principal = principalOf(request);
        const includeAll = hasRole({ role: principal.role, required: 'admin' });
        return { servers: await registry.list({ org: principal.org, includeAll }) };
      },
    );

    for (const action of ['publish', 'deprecate'] as const) {
      api.post(
        `/api/mcp/servers/:id/${action}`,
        {
          onRequest: requireRole('admin'),
          schema: {
            tags,
            security: bearer,
            summary: `${action === 'publish' ? 'Publish a draft' : 'Deprecate a published'} MCP server`,
            params: serverParams,
          },
        },
        async (request) => {
          const principal = principalOf(request);
          return registry.transition({
            org: principal.org,
            actor: principal.actor,
            serverId: request.params.id,
            action,
          });
        },
      );
    }

    api.post(
      '/api/mcp/gate',
      {
        schema: {
          tags,
          summary: 'Policy gate for one MCP tool call (device token)',
          body: gateRequest,
          response: { 200: gateResponse },
        },
      },
      async (request) => {
        const device = await authenticateDevice(options.db, request);
        const policy = await options.policies.current({ org: device.org });
        return activity.gate({ device, policy, request: request.body });
      },
    );

    api.post(
      '/api/mcp/activity',
      { schema: { tags, summary: 'Report one MCP tool call (device token)', body: activityReport } },
      async (request, reply) => {
        const device = await authenticateDevice(options.db, request);
        await activity.record({ device, report: request.body });
        return reply.status(202).send({ recorded: true });
      },
    );

    api.get(
      '/api/mcp/activity',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'MCP activity: allow, block and HITL rates and masking counts per vendor and agent scope',
          response: {
            200: z.object({
              byVendor: z.array(z.object({ vendor: z.string(), ...rates })),
              byAgent: z.array(z.object({ agent: z.string(), ...rates })),
            }),
          },
        },
      },
      async (request) => activity.summary({ org: principalOf(request).org }) as never,
    );
  };
}
