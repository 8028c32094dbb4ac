import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { RunError } from '../runs/decider.js';
import { type CrossVendorRunCommand, type CrossVendorRunFact, crossVendorRunDecider } from './run-decide.js';

const spec = deciderSpec(crossVendorRunDecider);
const providers = [
  { provider: 'openai', model: 'gpt-4o' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
];
const judge = { provider: 'demo', model: 'demo' };
const start = {
  suiteId: 'cvs_1',
  name: 'refunds',
  trigger: { kind: 'manual' as const },
  cases: 1,
  providers,
  judge,
};
const started: CrossVendorRunFact[] = [
  { type: 'cp.run.started', data: { kind: 'cross-vendor', name: 'refunds' } },
  { type: 'cp.cross_vendor.run.started', data: start },
];
const answer = (providerIndex: number, extra: Partial<Record<string, unknown>> = {}): CrossVendorRunFact => ({
  type: 'cp.cross_vendor.answer.recorded',
  data: {
    suiteRunId: 'run_1',
    caseIndex: 0,
    providerIndex,
    status: 'answered',
    error: null,
    valid: true,
    problems: [],
    answerSha256: 'a'.repeat(64),
    answer: '{"approve":true}',
    fields: { '$.approve': 'true' },
    costMicros: 10,
    latencyMs: 5,
    skillRunId: null,
    ...extra,
  } as never,
});
type Compare = Extract<CrossVendorRunCommand, { type: 'compare' }>;
const compare = (extra: Partial<Compare> = {}): Compare => ({
  type: 'compare',
  caseIndex: 0,
  a: 0,
  b: 1,
  diffs: [],
  textDiffers: false,
  ...extra,
});
const isCode = (code: string) => (e: unknown) => e instanceof RunError && e.code === code;
const verdictOf = (history: CrossVendorRunFact[], command: CrossVendorRunCommand) => {
  const state = history.reduce(crossVendorRunDecider.evolve, crossVendorRunDecider.initialState());
  const [fact] = crossVendorRunDecider.decide(command, state);
  return fact?.type === 'cp.cross_vendor.pair.compared' ? [fact.data.severity, fact.data.reason] : null;
};

describe('the cross-vendor run decider', () => {
  it('starts a run once, as a run of kind cross-vendor', () => {
    spec
      .given([])
      .when({ type: 'start', ...start })
      .then(started);
    spec
      .given(started)
      .when({ type: 'start', ...start })
      .thenThrows(isCode('run_exists'));
  });

  it('takes one answer per case and provider, within the run', () => {
    const { suiteRunId: _, ...data } = answer(0).data as { suiteRunId: string };
    const command = { type: 'answer', ...data } as CrossVendorRunCommand;
    spec
      .given([...started, answer(0)])
      .when(command)
      .thenThrows(isCode('run_finished'));
    spec
      .given(started)
      .when({ ...command, providerIndex: 5 } as CrossVendorRunCommand)
      .thenThrows(isCode('run_finished'));
  });

  it('makes a pair critical on a failed provider, a schema failure or a decision field, in that order', () => {
    const failed = answer(1, { status: 'failed', valid: false, error: 'provider_error: down' });
    expect(verdictOf([...started, answer(0), failed], compare())).toEqual(['critical', 'provider_failed']);
    const invalid = answer(1, { valid: false, problems: ['/approve: is required'] });
    expect(verdictOf([...started, answer(0), invalid], compare())).toEqual(['critical', 'schema']);
    const diffs = [{ path: '$.approve', a: 'true', b: 'false' }];
    expect(verdictOf([...started, answer(0), answer(1)], compare({ diffs, textDiffers: true }))).toEqual([
      'critical',
      'decision_field',
    ]);
  });

  it('never lets the judge decide a critical pair, and requires it on a free-text difference', () => {
    const diffs = [{ path: '$.approve', a: 'true', b: 'false' }];
    const judged = { runId: 'run_1.c1.p1.j2', verdict: 'equivalent' as const, costMicros: 3 };
    spec
      .given([...started, answer(0), answer(1)])
      .when(compare({ diffs, textDiffers: true, judge: judged }))
      .thenThrows(isCode('run_finished'));
    spec
      .given([...started, answer(0), answer(1)])
      .when(compare({ textDiffers: true }))
      .thenThrows(isCode('run_finished'));
  });

  it('grades a free-text difference by the judge: warning when different or unsure, info when equivalent', () => {
    const history = [...started, answer(0), answer(1)];
    const judged = (verdict: 'equivalent' | 'different' | 'failed') =>
      compare({ textDiffers: true, judge: { runId: 'j', verdict, costMicros: 3 } });
    expect(verdictOf(history, judged('different'))).toEqual(['warning', 'judge_different']);
    expect(verdictOf(history, judged('failed'))).toEqual(['warning', 'judge_failed']);
    expect(verdictOf(history, judged('equivalent'))).toEqual(['info', 'judge_equivalent']);
    expect(verdictOf(history, compare())).toEqual(['info', 'identical']);
  });

  it('calls a textual difference info when the suite has no judge', () => {
    const unjudged: CrossVendorRunFact[] = [
      started[0]!,
      { type: 'cp.cross_vendor.run.started', data: { ...start, judge: null } },
    ];
    expect(verdictOf([...unjudged, answer(0), answer(1)], compare({ textDiffers: true }))).toEqual([
      'info',
      'text_unjudged',
    ]);
  });

  it('compares a pair once, after both answered, and completes with the counts and cost', () => {
    spec
      .given([...started, answer(0)])
      .when(compare())
      .thenThrows(isCode('run_finished'));
    const pair: CrossVendorRunFact = {
      type: 'cp.cross_vendor.pair.compared',
      data: {
        suiteRunId: 'run_1',
        caseIndex: 0,
        a: 0,
        b: 1,
        severity: 'warning',
        reason: 'judge_different',
        diffs: [],
        judge: { runId: 'j', verdict: 'different', costMicros: 3 },
      },
    };
    spec
      .given([...started, answer(0), answer(1), pair])
      .when(compare())
      .thenThrows(isCode('run_finished'));
    spec
      .given([...started, answer(0), answer(1), pair])
      .when({ type: 'complete' })
      .then([
        { type: 'cp.cross_vendor.run.completed', data: { critical: 0, warning: 1, info: 0, costMicros: 23 } },
        { type: 'cp.run.completed', data: { status: 'succeeded' } },
      ]);
  });
});
