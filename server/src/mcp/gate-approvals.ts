import { createHash } from 'node:crypto';
import { applyDlp, type CompiledPolicy, evaluateToolCall } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import { argsHash, type GateApproval, type GateRequest, type GateResponse } from '@proofpane/daemon';
import type { DeviceRow } from '../devices/tables.js';
import { DEFAULT_AUTO_APPROVE_THRESHOLD, type HitlService } from '../hitl/service.js';
import { apiError } from '../http/errors.js';

/** The longest a status poll is held open while the request is pending. */
export const MAX_APPROVAL_WAIT_SECONDS = 25;

type Policy = { version: number; compiled: CompiledPolicy };

/** The request's target; a tool name too long for the event's bound is named by its hash. */
const targetOf = (tool: string) =>
  `mcp/${tool.length <= 150 ? tool : `sha256:${createHash('sha256').update(tool, 'utf8').digest('hex')}`}`;

/**
 * Human approval for `proofpane-daemon mcp --governed`. A `hitl_required` gate decision opens a
 * `cp.hitl.requested` (kind `mcp_call`) that reviewers see in Approvals and the desktop approver; the
 * device that asked polls its status and, once approved, uses the approval once for the exact
 * arguments (`cp.hitl.consumed`), as `/api/tools/call` does with `x-proofpane-hitl`. A device sees and
 * uses only the requests it opened itself.
 */
export function createMcpGateApprovals(options: { store: EventStore; hitl: HitlService }) {
  const { store, hitl } = options;
  const agentOf = (device: DeviceRow) => device.agent ?? undefined;

  /** The request, when this device opened it for an MCP call; otherwise 404, as for another org's. */
  const ownRequest = async (device: DeviceRow, requestId: string) => {
    const events = await store.readSubject({ org: device.org, subject: `hitl/${requestId}` });
    const opened = events[0];
    const data = opened?.data as { kind?: string; target?: string } | undefined;
    if (
      opened?.type !== 'cp.hitl.requested' ||
      opened.actor.kind !== 'device' ||
      opened.actor.id !== device.id ||
      data?.kind !== 'mcp_call'
    ) {
      throw apiError('not_found', `no approval request ${requestId} for this device`);
    }
    return { target: data.target ?? '' };
  };

  const approval = async (device: DeviceRow, requestId: string): Promise<GateApproval> => {
    const view = await hitl.get({ org: device.org, requestId });
    return { requestId, status: view.status as GateApproval['status'], expiresAt: view.expiresAt };
  };

  return {
    /** Opens the approval request for a call the gate answered `hitl_required`. */
    async request(input: {
      device: DeviceRow;
      policy: Policy;
      request: GateRequest;
      callId: string;
    }): Promise<{ hitlRequestId: string; expiresAt: string }> {
      const { device, policy, request } = input;
      const agent = agentOf(device);
      const verdict = evaluateToolCall({
        policy: policy.compiled,
        call: { tool: request.tool, arguments: request.args, ...(agent ? { agent } : {}) },
      });
      // The reviewer reads the arguments DLP-masked; the approval binds the hash of the real ones.
      const masked = applyDlp({
        scope: policy.compiled.scope(agent),
        texts: [JSON.stringify(request.args)],
        doMask: true,
      }).maskedTexts[0];
      const created = await hitl.request({
        org: device.org,
        actor: { kind: 'device', id: device.id },
        kind: 'mcp_call',
        target: targetOf(request.tool),
        args: request.args,
        argsSha256: argsHash(request.args),
        summary: `${request.tool} ${masked ?? ''}`.slice(0, 2_000),
        reason: verdict.reason,
        rulesMatched: verdict.rulesMatched,
        dlp: verdict.dlp,
        agent,
        timeoutSeconds: verdict.hitlTimeoutSeconds ?? 900,
        autoApproveThreshold: DEFAULT_AUTO_APPROVE_THRESHOLD,
        meta: { mcpCallId: input.callId, deviceId: device.id, vendor: request.vendor },
      });
      return { hitlRequestId: created.requestId, expiresAt: created.view.expiresAt };
    },

    /** The request's status; while it is pending, held open up to `waitSeconds` for the decision. */
    async status(input: {
      device: DeviceRow;
      requestId: string;
      waitSeconds: number;
    }): Promise<GateApproval> {
      const { device, requestId } = input;
      await ownRequest(device, requestId);
      const current = await approval(device, requestId);
      if (current.status !== 'pending' || input.waitSeconds <= 0) return current;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        hitl.waitFor({ org: device.org, requestId }),
        new Promise((resolve) => {
          timer = setTimeout(resolve, input.waitSeconds * 1000);
        }),
      ]);
      clearTimeout(timer);
      return approval(device, requestId);
    },

    /**
     * Uses the approval once for these exact arguments. The policy is asked again first: a tool blocked
     * since the request was opened stays blocked.
     */
    async consume(input: {
      device: DeviceRow;
      policy: Policy;
      requestId: string;
      request: GateRequest;
    }): Promise<GateResponse> {
      const { device, policy, requestId, request } = input;
      const { target } = await ownRequest(device, requestId);
      if (target !== targetOf(request.tool)) {
        throw apiError('forbidden', `approval ${requestId} was given for another tool (${target})`);
      }
      const agent = agentOf(device);
      const verdict = evaluateToolCall({
        policy: policy.compiled,
        call: { tool: request.tool, arguments: request.args, ...(agent ? { agent } : {}) },
      });
      if (verdict.decision === 'block') return { decision: 'block', reason: verdict.reason };
      await hitl.consume({
        org: device.org,
        actor: { kind: 'device', id: device.id },
        requestId,
        argsSha256: argsHash(request.args),
      });
      return { decision: 'allow', hitlRequestId: requestId };
    },
  };
}

export type McpGateApprovals = ReturnType<typeof createMcpGateApprovals>;
