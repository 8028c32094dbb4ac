import { DaemonError } from '../errors.js';
import {
  type ActivityReport,
  argsHash,
  type GateResponse,
  type GovernanceErrorCode,
  gateResponse,
  type McpVendor,
} from '../governance.js';
import { apiUrl, failOnAuthOrServerError, postJson } from '../http.js';
import type { DeviceCredentials } from '../pairing/credentials.js';
import type { ToolOutcome } from '../tools/execute.js';
import { awaitApproval } from './await-approval.js';

export type GovernedOutcome =
  | ToolOutcome
  | { ok: false; error: { code: GovernanceErrorCode; message: string } };

export interface GovernedExecutorOptions {
  credentials: DeviceCredentials;
  vendor: McpVendor;
  log: (line: string) => void;
}

export type Execute = (args: Record<string, unknown>) => Promise<ToolOutcome>;

export interface CallContext {
  /** Aborted when the MCP client cancels the request or goes away. */
  signal: AbortSignal;
  /** Told, now and then, that the call is held for a person, so the client can keep waiting. */
  waiting?: (message: string) => void;
}

export type GovernedCall = (
  tool: string,
  args: Record<string, unknown>,
  execute: Execute,
  context: CallContext,
) => Promise<GovernedOutcome>;

export interface GovernedExecutor {
  call: GovernedCall;
  /** Waits, at most `timeoutMs`, for activity reports still being sent (before the process exits). */
  drain(timeoutMs?: number): Promise<void>;
}

/**
 * Wraps tool execution with the org's policy gate: ask `POST /api/mcp/gate`, obey the decision, run the tool
 * with the client's arguments and report `POST /api/mcp/activity`. Fails closed: when
 * the gate cannot be asked, the tool does not run.
 */
export function governedExecutor(options: GovernedExecutorOptions): GovernedExecutor {
  const { credentials, vendor, log } = options;
  const gateUrl = apiUrl(credentials.server, '/api/mcp/gate');
  const activityUrl = apiUrl(credentials.server, '/api/mcp/activity');

  const askGate = async (
    tool: string,
    args: Record<string, unknown>,
  ): Promise<GateResponse | GovernedOutcome> => {
    try {
      const response = await postJson(
        gateUrl,
        { vendor, tool, args },
        { token: credentials.token, timeoutMs: 10_000 },
      );
      failOnAuthOrServerError(response, 'the policy gate');
      const parsed = gateResponse.safeParse(response.body);
      if (!parsed.success) throw new DaemonError('server_error', 'the policy gate sent an unexpected answer');
      return parsed.data;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`gate: ${message}`);
      const code =
        err instanceof DaemonError && err.code === 'device_revoked' ? 'device_revoked' : 'gate_unavailable';
      return { ok: false, error: { code, message: `the call was not run: ${message}` } };
    }
  };

  const reporting = new Set<Promise<void>>();
  const report = (body: ActivityReport) => {
    const sent = postJson(activityUrl, body, { token: credentials.token, timeoutMs: 10_000 })
      .then((response) => failOnAuthOrServerError(response, 'activity report'))
      .catch((err: unknown) => log(`activity: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => reporting.delete(sent));
    reporting.add(sent);
  };

  const drain = async (timeoutMs = 3_000) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...reporting]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  };

  const call: GovernedCall = async (tool, args, execute, context) => {
    const started = performance.now();
    const gate = await askGate(tool, args);
    if ('ok' in gate) return gate;
    let outcome: GovernedOutcome;
    if (gate.decision === 'allow') {
      // Always the client's own arguments: DLP on arguments decides allow, block or approval, but a local
      // tool must run what was asked. A masked grep pattern or path is a different call, not a redacted one.
      outcome = await execute(args);
    } else if (gate.decision === 'hitl_required' && gate.hitlRequestId) {
      const approval = await awaitApproval({
        credentials,
        vendor,
        tool,
        args,
        requestId: gate.hitlRequestId,
        expiresAt: gate.expiresAt,
        signal: context.signal,
        log,
        ...(context.waiting ? { waiting: context.waiting } : {}),
      });
      outcome = approval.approved
        ? await execute(args)
        : ({ ok: false, error: approval.error } as GovernedOutcome);
    } else {
      // A server that opens no approval request: nothing to wait for.
      const code = gate.decision === 'block' ? 'policy_blocked' : 'hitl_required';
      const what = gate.decision === 'block' ? 'blocked by policy' : 'requires human approval';
      outcome = {
        ok: false,
        error: { code, message: `${tool} ${what}${gate.reason ? `: ${gate.reason}` : ''}` },
      };
    }
    report({
      vendor,
      tool,
      ...(gate.callId === undefined ? {} : { callId: gate.callId }),
      decision: gate.decision,
      ok: outcome.ok,
      ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
      argsSha256: argsHash(args),
      masked: false,
      resultBytes: outcome.ok ? Buffer.byteLength(JSON.stringify(outcome.result ?? null)) : 0,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      time: new Date().toISOString(),
    });
    return outcome;
  };
  return { call, drain };
}
