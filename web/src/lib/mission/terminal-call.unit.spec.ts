import { describe, expect, it } from 'vitest';
import { sendTerminalLine } from './terminal-call';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function recorder(response: Response | Error) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    if (response instanceof Error) throw response;
    return response;
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

describe('sendTerminalLine', () => {
  it('sends the line as a governed bash call to the device and returns its output', async () => {
    const { sent, fetch } = recorder(
      answer(200, {
        callId: 'c1',
        ok: true,
        masked: false,
        result: { exitCode: 0, signal: null, stdout: 'hello\n', stderr: '', truncated: false },
      }),
    );
    const outcome = await sendTerminalLine({ deviceId: 'dev_1', command: 'echo hello', fetch });
    expect(outcome).toEqual({
      kind: 'output',
      exitCode: 0,
      signal: null,
      stdout: 'hello\n',
      stderr: '',
      truncated: false,
    });
    expect(sent[0]?.url).toBe('/api/tools/call');
    expect(JSON.parse(String(sent[0]?.init.body))).toEqual({
      tool: 'bash',
      args: { command: 'echo hello' },
      deviceId: 'dev_1',
    });
    expect(sent[0]?.init.headers).not.toHaveProperty('x-proofpane-hitl');
  });

  it('sends the approval again with the held line once it was approved', async () => {
    const { sent, fetch } = recorder(
      answer(200, { callId: 'c2', ok: false, error: { code: 'timeout', message: 'took too long' } }),
    );
    const outcome = await sendTerminalLine({
      deviceId: 'dev_1',
      command: 'sleep 999',
      hitlRequestId: 'hitl_9',
      fetch,
    });
    expect(outcome).toEqual({ kind: 'tool-error', code: 'timeout', message: 'took too long' });
    expect(sent[0]?.init.headers).toMatchObject({ 'x-proofpane-hitl': 'hitl_9' });
  });

  it('tells a held line from a refusal, an offline device and an unreachable server', async () => {
    const held = await sendTerminalLine({
      deviceId: 'd',
      command: 'rm x',
      fetch: recorder(
        answer(403, { code: 'hitl_required', detail: 'needs a person', hitlRequestId: 'hitl_1' }),
      ).fetch,
    });
    expect(held).toEqual({ kind: 'waiting', hitlRequestId: 'hitl_1' });
    const refused = await sendTerminalLine({
      deviceId: 'd',
      command: 'shutdown-now',
      fetch: recorder(answer(403, { code: 'policy_blocked', detail: 'blocked pattern "no-shutdown"' })).fetch,
    });
    expect(refused).toEqual({
      kind: 'refused',
      code: 'policy_blocked',
      message: 'blocked pattern "no-shutdown"',
    });
    const offline = await sendTerminalLine({
      deviceId: 'd',
      command: 'ls',
      fetch: recorder(answer(503, { code: 'unavailable', detail: 'device d is not connected' })).fetch,
    });
    expect(offline).toEqual({ kind: 'offline', message: 'device d is not connected' });
    const down = await sendTerminalLine({
      deviceId: 'd',
      command: 'ls',
      fetch: recorder(new TypeError('fetch failed')).fetch,
    });
    expect(down.kind).toBe('failed');
  });
});
