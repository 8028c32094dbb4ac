import { DaemonError } from '../errors.js';
import {
  type GateApproval,
  type GovernanceErrorCode,
  gateApproval,
  gateResponse,
  type McpVendor,
} from '../governance.js';
import { apiUrl, failOnAuthOrServerError, getJson, postJson, problemDetail } from '../http.js';
import type { DeviceCredentials } from '../pairing/credentials.js';

/** How long one status request is held open by the server while nobody has decided. */
export const APPROVAL_POLL_SECONDS = 20;
/** Waited after a failed status request before the next one. */
const RETRY_MS = 1_000;
/** Kept waiting past the request's deadline, for the server's timeout sweep to record the expiry. */
const EXPIRY_GRACE_MS = 60_000;
/** When the server names no deadline: the policy default (900 s). */
const DEFAULT_WAIT_MS = 900_000;

export type ApprovalOutcome =
  | { approved: true }
  | { approved: false; error: { code: GovernanceErrorCode | 'aborted'; message: string } };

export interface AwaitApprovalOptions {
  credentials: DeviceCredentials;
  vendor: McpVendor;
  tool: string;
  args: Record<string, unknown>;
  requestId: string;
  expiresAt?: string | undefined;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Called before each wait, so the MCP client can be told the call is still alive. */
  waiting?: (message: string) => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Waits for a person to decide the approval request the gate opened for a held call, then, when it is
 * approved, uses the approval (once, bound to these exact arguments) so the caller may run the tool.
 * Denied, expired, cancelled or no longer usable: the call is refused with a code saying which.
 */
export async function awaitApproval(options: AwaitApprovalOptions): Promise<ApprovalOutcome> {
  const { credentials, tool, requestId, signal, log } = options;
  const refused = (code: GovernanceErrorCode | 'aborted', message: string): ApprovalOutcome => ({
    approved: false,
    error: { code, message },
  });
  const cancelled = () => refused('aborted', `${tool}: cancelled while waiting for approval ${requestId}`);
  const statusUrl = apiUrl(credentials.server, `/api/mcp/gate/${encodeURIComponent(requestId)}`);
  statusUrl.searchParams.set('waitSeconds', String(APPROVAL_POLL_SECONDS));
  const deadline = (Date.parse(options.expiresAt ?? '') || Date.now() + DEFAULT_WAIT_MS) + EXPIRY_GRACE_MS;
  const what = `${tool} is waiting for approval ${requestId} in Proofpane`;
  log(what);

  let status: GateApproval['status'] = 'pending';
  while (status === 'pending') {
    if (signal.aborted) return cancelled();
    if (Date.now() > deadline) {
      return refused(
        'hitl_expired',
        `${tool}: nobody decided approval ${requestId} in time; the call was not run`,
      );
    }
    options.waiting?.(what);
    try {
      const response = await getJson(statusUrl, {
        token: credentials.token,
        timeoutMs: (APPROVAL_POLL_SECONDS + 10) * 1000,
        signal,
      });
      failOnAuthOrServerError(response, 'the approval status');
      const parsed = gateApproval.safeParse(response.body);
      if (!parsed.success) throw new DaemonError('server_error', 'the approval status was unexpected');
      status = parsed.data.status;
    } catch (err) {
      if (signal.aborted) return cancelled();
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof DaemonError && err.code === 'device_revoked') {
        return refused('device_revoked', `the call was not run: ${message}`);
      }
      // A dropped connection or a restarting server: the request is still there, keep waiting.
      log(`approval ${requestId}: ${message}`);
      await sleep(RETRY_MS, signal);
    }
  }
  if (status === 'denied')
    return refused('hitl_denied', `${tool}: approval ${requestId} was denied; the call was not run`);
  if (status === 'expired') {
    return refused(
      'hitl_expired',
      `${tool}: nobody decided approval ${requestId} in time; the call was not run`,
    );
  }
  return useApproval(options);
}

async function useApproval(options: AwaitApprovalOptions): Promise<ApprovalOutcome> {
  const { credentials, vendor, tool, args, requestId, signal, log } = options;
  const url = apiUrl(credentials.server, `/api/mcp/gate/${encodeURIComponent(requestId)}/consume`);
  try {
    const response = await postJson(
      url,
      { vendor, tool, args },
      { token: credentials.token, timeoutMs: 10_000, signal },
    );
    if (response.status === 403 || response.status === 404) {
      const detail = problemDetail(response.body) ?? `HTTP ${response.status}`;
      return {
        approved: false,
        error: {
          code: 'hitl_denied',
          message: `${tool}: approval ${requestId} could not be used: ${detail}`,
        },
      };
    }
    failOnAuthOrServerError(response, 'using the approval');
    const parsed = gateResponse.safeParse(response.body);
    if (!parsed.success) throw new DaemonError('server_error', 'using the approval got an unexpected answer');
    if (parsed.data.decision === 'allow') return { approved: true };
    return {
      approved: false,
      error: {
        code: 'policy_blocked',
        message: `${tool} blocked by policy${parsed.data.reason ? `: ${parsed.data.reason}` : ''}`,
      },
    };
  } catch (err) {
    if (signal.aborted) {
      return { approved: false, error: { code: 'aborted', message: `${tool}: cancelled before it ran` } };
    }
    const message = err instanceof Error ? err.message : String(err);
    log(`approval ${requestId}: ${message}`);
    const code =
      err instanceof DaemonError && err.code === 'device_revoked' ? 'device_revoked' : 'gate_unavailable';
    return { approved: false, error: { code, message: `the call was not run: ${message}` } };
  }
}
