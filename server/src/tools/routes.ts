import type { CompiledPolicy } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgentMismatch, agentOf, principalOf, requireRole } from '../auth/index.js';
import type { DeviceHub } from '../devices/hub.js';
import type { DeviceService } from '../devices/store.js';
import { DEFAULT_AUTO_APPROVE_THRESHOLD, type HitlService } from '../hitl/service.js';
import { ApiError, apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { governedToolCall } from './governed-tool-call.js';
import { type LocalWorkspaces, RemoteToolRuntime, type ToolRuntime } from './runtime.js';

export interface ToolRouteOptions {
  local: LocalWorkspaces;
  hub: DeviceHub;
  devices: DeviceService;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
  remoteTimeoutMs: number;
  hitl: HitlService;
}

const toolOutcome = z.union([
  z.object({ callId: z.string(), ok: z.literal(true), result: z.unknown(), masked: z.boolean() }),
  z.object({
    callId: z.string(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);

/** `POST /api/tools/call`: an agent tool call through the policy gate, in-process or on a paired device. */
export function toolRoutes(options: ToolRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/api/tools/call',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['tools'],
          security: bearer,
          summary: 'Run one governed tool call (read, write, edit, bash, glob, grep, list)',
          headers: z
            .object({
              'x-proofpane-agent': z.string().min(1).max(100).optional(),
              'x-proofpane-hitl': z.string().min(1).max(100).optional(),
            })
            .passthrough(),
          body: z.strictObject({
            tool: z.string().min(1).max(100),
            args: z.record(z.string(), z.unknown()).default({}),
            deviceId: z.string().min(1).max(100).optional(),
          }),
          response: { 200: toolOutcome },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { tool, args, deviceId } = request.body;
        let runtime: ToolRuntime;
        if (deviceId) {
          const device = await options.devices.get({ org: principal.org, deviceId });
          if (device.revoked_at) throw apiError('conflict', `device ${deviceId} was revoked`);
          if (!options.hub.isConnected(deviceId)) {
            throw apiError(
              'unavailable',
              `device ${deviceId} is not connected; start \`proofpane-daemon run\` on it`,
            );
          }
          runtime = new RemoteToolRuntime({
            hub: options.hub,
            org: principal.org,
            deviceId,
            timeoutMs: options.remoteTimeoutMs,
          });
        } else {
          runtime = options.local.forOrg(principal.org);
        }
        let agent: string | undefined;
        try {
          agent = agentOf(principal, request.headers['x-proofpane-agent']);
        } catch (error) {
          if (error instanceof AgentMismatch) throw apiError('bad_request', error.message);
          throw error;
        }
        const target = `tool/${tool}`;
        const result = await governedToolCall({
          store: app.runtime.store,
          policy: await options.policies.current({ org: principal.org }),
          org: principal.org,
          actor: principal.actor,
          agent,
          tool,
          args,
          runtime,
          approvals: {
            approvedRequestId: request.headers['x-proofpane-hitl'],
            request: (input) =>
              options.hitl.request({
                ...input,
                org: principal.org,
                actor: principal.actor,
                kind: 'tool_call',
                target,
                args,
                agent,
                autoApproveThreshold: DEFAULT_AUTO_APPROVE_THRESHOLD,
              }),
            consume: (input) =>
              options.hitl.consume({ ...input, org: principal.org, actor: principal.actor }),
          },
        });
        if (result.status === 'refused') {
          throw new ApiError(result.code, 403, 'Refused by policy', result.reason, {
            callId: result.callId,
            ...(result.hitlRequestId ? { hitlRequestId: result.hitlRequestId } : {}),
          });
        }
        return result.outcome.ok
          ? { callId: result.callId, ok: true as const, result: result.outcome.result, masked: result.masked }
          : { callId: result.callId, ok: false as const, error: result.outcome.error };
      },
    );
  };
}
