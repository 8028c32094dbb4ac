import { CoderError } from '@proofpane/commands';
import { WORKTREE_TOOL, type WorktreeDiff } from '@proofpane/daemon';
import type { DeviceHub } from '../devices/hub.js';
import type { DeviceService } from '../devices/store.js';
import { ApiError } from '../http/errors.js';
import type { GovernedToolResult } from '../tools/governed-tool-call.js';
import { RemoteToolRuntime, type ToolRuntime } from '../tools/runtime.js';
import { governedSessionCalls, type SessionToolsOptions } from './tool-runtime.js';

type Governed = Omit<SessionToolsOptions, 'dir' | 'runtime'>;

export interface DeviceSessionOptions extends Governed {
  hub: DeviceHub;
  deviceId: string;
  sessionId: string;
  /** The repository, relative to the daemon's root. */
  repo: string;
  runId: string;
  /** How long one call may take on the device, the `run` tool's own timeout included. */
  timeoutMs: number;
}

/** A device the org may send a session to: its own, not revoked, connected now. */
export async function checkDevice(options: {
  devices: DeviceService;
  hub: DeviceHub;
  org: string;
  deviceId: string;
}): Promise<void> {
  // Another org's device is not found: `get` is scoped by the org.
  const device = await options.devices.get({ org: options.org, deviceId: options.deviceId });
  if (device.revoked_at)
    throw new CoderError('coder_device_unavailable', `device ${options.deviceId} was revoked`);
  if (!options.hub.isConnected(options.deviceId))
    throw new CoderError(
      'coder_device_unavailable',
      `device ${options.deviceId} is not connected; start \`proofpane-daemon run\` on it`,
    );
}

/**
 * A Repo Coder session whose repository is on a paired device. Every step is a governed tool call to the
 * device (policy, DLP, HITL as the org's policy says, `cp.tool.*` audit): the git steps as the daemon's
 * `worktree` tool, the loop's `read`, `write` and `bash` under their own names (so a policy on `bash` holds
 * here too), sent to the daemon confined to the session's worktree.
 */
export function deviceSession(options: DeviceSessionOptions) {
  const { hub, org, deviceId, sessionId, repo, runId, timeoutMs } = options;
  const device = new RemoteToolRuntime({ hub, org, deviceId, timeoutMs });
  const inTree: ToolRuntime = {
    kind: 'remote',
    deviceId,
    execute: (input) =>
      device.execute({
        tool: WORKTREE_TOOL,
        args: { op: 'call', session: sessionId, tool: input.tool, args: input.args },
      }),
  };
  const steps = governedSessionCalls({ ...options, runtime: device });

  const step = async (op: 'create' | 'diff' | 'commit' | 'discard', extra: Record<string, unknown> = {}) => {
    const result: GovernedToolResult = await steps({
      tool: WORKTREE_TOOL,
      args: { op, session: sessionId, repo, ...extra },
      runId,
    });
    if (result.status === 'refused')
      throw new ApiError(result.code, 403, 'Refused by policy', result.reason, { callId: result.callId });
    const { outcome } = result;
    if (outcome.ok) return outcome.result as Record<string, unknown>;
    const { code, message } = outcome.error;
    if (code === 'unknown_tool')
      throw new CoderError(
        'coder_device_unavailable',
        `the daemon on device ${deviceId} has no worktree tool; update proofpane-daemon`,
      );
    if (code === 'aborted' || code === 'timeout')
      throw new CoderError('coder_device_unavailable', `device ${deviceId}: ${message}`);
    if (op === 'create')
      throw new CoderError('coder_repo_invalid', `${repo} on device ${deviceId}: ${message}`);
    throw new Error(`worktree ${op} on device ${deviceId} failed: ${code}`);
  };

  return {
    tools: { ...options, runtime: inTree },
    create: async () => {
      await step('create');
    },
    diff: async () => (await step('diff')) as unknown as WorktreeDiff,
    commit: async (message: string) => {
      const done = await step('commit', { message });
      return typeof done.commit === 'string' ? done.commit : undefined;
    },
    discard: async () => {
      await step('discard');
    },
  };
}
