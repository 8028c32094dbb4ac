import { authHeaders } from '$lib/api';

/** What one terminal line became: output, a refusal, a wait for a person, or a failure to reach the device. */
export type TerminalOutcome =
  | {
      kind: 'output';
      exitCode: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
      truncated: boolean;
    }
  | { kind: 'tool-error'; code: string; message: string }
  | { kind: 'waiting'; hitlRequestId: string }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'offline'; message: string }
  | { kind: 'failed'; message: string };

interface BashResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

type ToolAnswer =
  | { callId: string; ok: true; result: BashResult }
  | { callId: string; ok: false; error: { code: string; message: string } };

/** The device's answers when it cannot run the line: revoked (409) or not connected (503). */
const OFFLINE_CODES = new Set(['unavailable', 'conflict']);

/**
 * Sends one line as a governed `bash` call to a paired device (`POST /api/tools/call`): the same
 * policy, DLP, HITL and audit as an agent's call. With `hitlRequestId`, the approved call is sent again.
 */
export async function sendTerminalLine(options: {
  deviceId: string;
  command: string;
  hitlRequestId?: string;
  fetch?: typeof fetch;
}): Promise<TerminalOutcome> {
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send('/api/tools/call', {
      method: 'POST',
      headers: {
        ...authHeaders(),
        'content-type': 'application/json',
        ...(options.hitlRequestId ? { 'x-proofpane-hitl': options.hitlRequestId } : {}),
      },
      body: JSON.stringify({ tool: 'bash', args: { command: options.command }, deviceId: options.deviceId }),
    });
  } catch {
    return { kind: 'failed', message: 'the server cannot be reached; check that it is running' };
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) {
    const answer = body as unknown as ToolAnswer;
    return answer.ok
      ? { kind: 'output', ...answer.result }
      : { kind: 'tool-error', code: answer.error.code, message: answer.error.message };
  }
  const code = typeof body['code'] === 'string' ? body['code'] : 'error';
  const message = typeof body['detail'] === 'string' ? body['detail'] : response.statusText;
  if (code === 'hitl_required' && typeof body['hitlRequestId'] === 'string')
    return { kind: 'waiting', hitlRequestId: body['hitlRequestId'] };
  if (response.status === 403) return { kind: 'refused', code, message };
  if (OFFLINE_CODES.has(code)) return { kind: 'offline', message };
  return { kind: 'failed', message: `${message} (${code})` };
}
