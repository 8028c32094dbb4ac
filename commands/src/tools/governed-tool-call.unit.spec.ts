import { type AnyNewEvent, catalogue, type EventStore } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { compilePolicy, defaultPolicy, parsePolicy } from '../policy/index.js';
import { governedToolCall, type ToolCallApprovals, type ToolCallOutcome } from './index.js';

const policy = {
  version: 4,
  compiled: compilePolicy(
    parsePolicy({
      tools: ['read_file', 'send_email'],
      dlp: defaultPolicy().dlp,
      hitl: { tools: ['send_email'], timeoutSeconds: 600 },
    }),
  ),
};
const actor = { kind: 'user', id: 'usr_1' } as const;
const argsSha256 = 'c'.repeat(64);
const secret = `ghp_${'a1B2'.repeat(9)}`;

function harness(outcome: ToolCallOutcome = { ok: true, result: { lines: 3 } }) {
  const appended: AnyNewEvent[][] = [];
  const store = {
    append: async (batch: { org: string; events: AnyNewEvent[] }) => {
      expect(batch.org).toBe('org_a');
      appended.push(batch.events);
      return [];
    },
  } as unknown as EventStore;
  const executed: unknown[] = [];
  const runtime = {
    kind: 'remote' as const,
    deviceId: 'dev_1',
    execute: async (call: { tool: string; args: unknown }) => {
      executed.push(call);
      return outcome;
    },
  };
  let clock = 1_000;
  const call = (tool: string, args: Record<string, unknown>, approvals?: ToolCallApprovals) =>
    governedToolCall({
      store,
      policy,
      org: 'org_a',
      actor,
      tool,
      args,
      argsSha256,
      runtime,
      meta: { runId: 'run_1' },
      now: () => (clock += 250),
      ...(approvals ? { approvals } : {}),
    });
  return { appended, executed, call };
}

const valid = (events: AnyNewEvent[]) => {
  for (const e of events) expect(catalogue[e.type].safeParse(e.data).success, e.type).toBe(true);
};

describe('a governed tool call', () => {
  it('refuses a tool outside the policy without running it, auditing only the refusal', async () => {
    const h = harness();
    const result = await h.call('delete_db', {});
    expect(result).toMatchObject({ status: 'refused', code: 'policy_blocked' });
    expect(h.executed).toEqual([]);
    expect(h.appended).toHaveLength(1);
    const [refused] = h.appended[0]!;
    expect(refused).toMatchObject({
      type: 'cp.tool.refused',
      subject: `tool-call/${result.callId}`,
      actor,
      meta: { runId: 'run_1' },
      data: {
        callId: result.callId,
        tool: 'delete_db',
        argsSha256,
        code: 'policy_blocked',
        policyVersion: 4,
      },
    });
    valid(h.appended.flat());
  });

  it('audits the call before the tool runs and its completion after, with size and time but no values', async () => {
    const h = harness();
    const result = await h.call('read_file', { path: 'a.txt' });
    expect(result).toEqual({
      status: 'completed',
      callId: result.callId,
      outcome: { ok: true, result: { lines: 3 } },
      masked: false,
    });
    expect(h.executed).toEqual([{ tool: 'read_file', args: { path: 'a.txt' } }]);
    expect(h.appended.map((batch) => batch.map((e) => e.type))).toEqual([
      ['cp.tool.called'],
      ['cp.tool.completed'],
    ]);
    expect(h.appended[0]![0]!.data).toEqual({
      callId: result.callId,
      tool: 'read_file',
      argsSha256,
      runtime: 'remote',
      deviceId: 'dev_1',
      policyVersion: 4,
      rulesMatched: [],
      dlp: {},
    });
    expect(h.appended[1]![0]!.data).toEqual({
      callId: result.callId,
      tool: 'read_file',
      ok: true,
      resultBytes: Buffer.byteLength('{"lines":3}'),
      durationMs: 250,
      resultDlp: {},
    });
    valid(h.appended.flat());
  });

  it('masks what the policy masks in the result, and withholds a result holding what it blocks', async () => {
    const masked = harness({ ok: true, result: { owner: 'ann@example.com' } });
    const shown = await masked.call('read_file', {});
    expect(shown).toMatchObject({ status: 'completed', masked: true });
    expect(JSON.stringify(shown.status === 'completed' && shown.outcome)).not.toContain('ann@example.com');
    expect(masked.appended[1]![0]!.data).toMatchObject({ ok: true, resultDlp: { EMAIL: 1 } });

    const blocked = harness({ ok: true, result: { token: secret } });
    const withheld = await blocked.call('read_file', {});
    expect(withheld).toMatchObject({
      status: 'completed',
      masked: false,
      outcome: { ok: false, error: { code: 'io_error' } },
    });
    expect(blocked.appended[1]![0]!.data).toMatchObject({
      ok: false,
      errorCode: 'io_error',
      resultDlp: { API_SECRET: 1 },
    });
    valid([...masked.appended.flat(), ...blocked.appended.flat()]);
  });

  it('records a failed tool with its error code', async () => {
    const h = harness({ ok: false, error: { code: 'not_found', message: 'no such file' } });
    const result = await h.call('read_file', { path: 'x' });
    expect(result).toMatchObject({
      status: 'completed',
      outcome: { ok: false, error: { code: 'not_found' } },
    });
    expect(h.appended[1]![0]!.data).toMatchObject({ ok: false, errorCode: 'not_found', resultBytes: 0 });
  });

  it('asks a person for a tool under HITL, refusing until approved, and uses an approval bound to the arguments', async () => {
    const consumed: unknown[] = [];
    const requests: unknown[] = [];
    const approvals = (status: 'pending' | 'approved', approvedRequestId?: string): ToolCallApprovals => ({
      approvedRequestId,
      request: async (input) => {
        requests.push(input);
        return { requestId: 'hitl_1', status };
      },
      consume: async (input) => void consumed.push(input),
    });

    const pending = harness();
    const refused = await pending.call('send_email', { to: 'ann@example.com' }, approvals('pending'));
    expect(refused).toMatchObject({ status: 'refused', code: 'hitl_required', hitlRequestId: 'hitl_1' });
    expect(pending.executed).toEqual([]);
    expect(requests[0]).toMatchObject({ argsSha256, timeoutSeconds: 600 });
    // The reviewer's summary is masked even though the tool would receive the address.
    expect(JSON.stringify(requests[0])).not.toContain('ann@example.com');
    expect(consumed).toEqual([]);

    const repeated = harness();
    const done = await repeated.call('send_email', { to: 'ann@example.com' }, approvals('pending', 'hitl_1'));
    expect(done.status).toBe('completed');
    expect(consumed).toEqual([{ requestId: 'hitl_1', argsSha256 }]);
    expect(requests).toHaveLength(1);

    const precedent = harness();
    expect((await precedent.call('send_email', {}, approvals('approved'))).status).toBe('completed');
    expect(consumed).toHaveLength(2);
  });
});
