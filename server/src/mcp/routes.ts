import type { CompiledPolicy } from '@proofpane/commands';
import { activityReport, gateApproval, gateRequest, gateResponse } from '@proofpane/daemon';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import type { DeviceRow } from '../devices/tables.js';
import { cleanString } from '../http/clean-text.js';
import { bearer } from '../http/route-security.js';
import { hasRole } from '../identity/commands.js';
import type { McpActivity } from './activity.js';
import { createMcpGateApprovals, MAX_APPROVAL_WAIT_SECONDS } from './gate-approvals.js';
import type { McpRegistry } from './registry.js';
import { mcpServerInput } from './server-input.js';

const serverParams = z.object({ id: cleanString().min(1).max(100) });

/**
 * The daemon's contract schemas, with the bounds the audit events need, so that a longer field is a
 * 400 instead of an event the store refuses (a 500, and a gate decision answered without its event).
 * Tool names: MCP allows 128 characters; up to 256 are gated and audited (the event names one longer
 * than 100 by a prefix and its SHA-256), longer ones are refused and the daemon fails closed.
 */
export const MAX_GATED_TOOL_NAME = 256;
const toolName = cleanString().min(1).max(MAX_GATED_TOOL_NAME);
const gateBody = gateRequest.extend({ tool: toolName });
const activityBody = activityReport.extend({
  tool: toolName,
  callId: cleanString().min(1).max(200).optional(),
  errorCode: cleanString().max(60).optional(),
  time: cleanString().max(100),
});
const rates = {
  calls: z.number(),
  allowRate: z.number(),
  blockRate: z.number(),
  hitlRate: z.number(),
  maskedCalls: z.number(),
  failedCalls: z.number(),
};

export function mcpRoutes(options: {
  /** The paired device behind the request's device token; 401 otherwise. */
  authenticateDevice: (request: FastifyRequest) => Promise<DeviceRow>;
  registry: McpRegistry;
  activity: McpActivity;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
}): FastifyPluginAsync {
  const { registry, activity } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['mcp'];
    const approvals = createMcpGateApprovals({ store: app.runtime.store, hitl: app.hitl });

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
          body: gateBody,
          response: { 200: gateResponse },
        },
      },
      async (request) => {
        const device = await options.authenticateDevice(request);
        const policy = await options.policies.current({ org: device.org });
        const decided = await activity.gate({ device, policy, request: request.body });
        if (decided.decision !== 'hitl_required' || !decided.callId) return decided;
        // Held for a person: the request reviewers act on, named so the daemon can wait for it.
        const opened = await approvals.request({
          device,
          policy,
          request: request.body,
          callId: decided.callId,
        });
        return { ...decided, ...opened };
      },
    );

    const approvalParams = z.object({ requestId: z.string().min(1).max(100) });

    api.get(
      '/api/mcp/gate/:requestId',
      {
        schema: {
          tags,
          summary:
            'Status of the approval request a held MCP call waits on (device token, own requests only)',
          params: approvalParams,
          querystring: z.strictObject({
            waitSeconds: z.coerce.number().int().min(0).max(MAX_APPROVAL_WAIT_SECONDS).default(0),
          }),
          response: { 200: gateApproval },
        },
      },
      async (request) => {
        const device = await options.authenticateDevice(request);
        return approvals.status({
          device,
          requestId: request.params.requestId,
          waitSeconds: request.query.waitSeconds,
        });
      },
    );

    api.post(
      '/api/mcp/gate/:requestId/consume',
      {
        schema: {
          tags,
          summary: 'Use an approval once for the exact call it was given for (device token)',
          params: approvalParams,
          body: gateRequest,
          response: { 200: gateResponse },
        },
      },
      async (request) => {
        const device = await options.authenticateDevice(request);
        const policy = await options.policies.current({ org: device.org });
        return approvals.consume({
          device,
          policy,
          requestId: request.params.requestId,
          request: request.body,
        });
      },
    );

    api.post(
      '/api/mcp/activity',
      { schema: { tags, summary: 'Report one MCP tool call (device token)', body: activityBody } },
      async (request, reply) => {
        const device = await options.authenticateDevice(request);
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
