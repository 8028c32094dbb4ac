import type { NewEvent } from '@proofpane/core';

const actor = { kind: 'user' as const, id: 'usr_cv' };
const providers = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { provider: 'gemini', model: 'gemini-2.5-flash' },
];
const event = (subject: string, type: string, data: Record<string, unknown>, meta: Record<string, string>) =>
  ({ type, subject, data, actor, meta }) as NewEvent;

/**
 * A suite and one finished run of it over three providers and one case, as the run driver records them:
 * a decision field differing on the third provider (two critical pairs) and one identical pair. For the
 * read model's specs and the rebuild spec.
 */
export function crossVendorRunEvents(options: {
  suiteId: string;
  runId: string;
  failed?: boolean;
}): NewEvent[] {
  const { suiteId, runId } = options;
  const caseRun = `${runId}.c1`;
  const answer = (p: number, approve: boolean): NewEvent[] => {
    const id = `${caseRun}.p${p + 1}`;
    return [
      event(
        `run/${id}`,
        'cp.cross_vendor.answer.recorded',
        {
          suiteRunId: runId,
          caseIndex: 0,
          providerIndex: p,
          status: 'answered',
          error: null,
          valid: true,
          problems: [],
          answerSha256: 'b'.repeat(64),
          answer: JSON.stringify({ approve }),
          fields: { '$.approve': String(approve) },
          costMicros: 100 + p,
          latencyMs: 12,
          skillRunId: null,
        },
        { runId: id },
      ),
      event(`run/${id}`, 'cp.run.completed', { status: 'succeeded' }, { runId: id }),
    ];
  };
  const pair = (a: number, b: number, critical: boolean) =>
    event(
      `run/${caseRun}`,
      'cp.cross_vendor.pair.compared',
      {
        suiteRunId: runId,
        caseIndex: 0,
        a,
        b,
        severity: critical ? 'critical' : 'info',
        reason: critical ? 'decision_field' : 'identical',
        diffs: critical ? [{ path: '$.approve', a: 'true', b: 'false' }] : [],
        judge: null,
      },
      { runId: caseRun },
    );
  return [
    event(
      `cross-vendor-suite/${suiteId}`,
      'cp.cross_vendor.suite.created',
      {
        suiteId,
        name: 'refunds',
        cases: [{ input: [{ role: 'user', content: 'Refund?' }], decisionFields: ['$.approve'] }],
        providers,
        judge: null,
        schedule: '0 3 * * *',
      },
      {},
    ),
    event(`run/${runId}`, 'cp.run.started', { kind: 'cross-vendor', name: 'refunds' }, { runId }),
    event(
      `run/${runId}`,
      'cp.cross_vendor.run.started',
      { suiteId, name: 'refunds', trigger: { kind: 'manual' }, cases: 1, providers, judge: null },
      { runId },
    ),
    event(
      `run/${caseRun}`,
      'cp.run.started',
      { kind: 'cross-vendor', name: 'case 1' },
      { runId: caseRun, parentRunId: runId },
    ),
    ...[0, 1, 2].map((p) =>
      event(
        `run/${caseRun}.p${p + 1}`,
        'cp.run.started',
        { kind: 'cross-vendor', name: providers[p]!.provider },
        { runId: `${caseRun}.p${p + 1}`, parentRunId: caseRun },
      ),
    ),
    ...answer(0, true),
    ...answer(1, true),
    ...answer(2, false),
    pair(0, 1, false),
    pair(0, 2, true),
    pair(1, 2, true),
    event(`run/${caseRun}`, 'cp.run.completed', { status: 'succeeded' }, { runId: caseRun }),
    ...(options.failed
      ? [event(`run/${runId}`, 'cp.run.completed', { status: 'failed', error: 'the run stopped' }, { runId })]
      : [
          event(
            `run/${runId}`,
            'cp.cross_vendor.run.completed',
            { critical: 2, warning: 0, info: 1, costMicros: 303 },
            { runId },
          ),
          event(`run/${runId}`, 'cp.run.completed', { status: 'succeeded' }, { runId }),
        ]),
  ];
}
