import type { NewEvent } from '@proofpane/core';

const actor = { kind: 'system' as const, id: 'spec' };
const sha = 'a'.repeat(64);

/**
 * The events of one skill run as `runSkill` records them, for specs: `answers` is what each answer got
 * (`ok` accepted, `bad` rejected), `l3` the L3 verdict recorded with each answer (absent: none recorded).
 */
export function skillRunEvents(options: {
  runId: string;
  skill: string;
  answers: ('ok' | 'bad')[];
  l3?: ('clean' | 'unknown' | 'misattributed' | undefined)[];
  status: 'succeeded' | 'failed' | 'cancelled';
}): NewEvent[] {
  const subject = `run/${options.runId}`;
  const events: NewEvent[] = [
    { type: 'cp.run.started', subject, actor, data: { kind: 'skill', name: options.skill } },
    {
      type: 'cp.skill.invoked',
      subject,
      actor,
      data: {
        skillId: options.skill,
        skillVersion: '1.0.0',
        capsuleId: null,
        inputSha256: sha,
        provider: 'demo',
        model: 'demo',
      },
    },
  ];
  options.answers.forEach((answer, i) => {
    const requestId = `req_${options.runId}_${i + 1}`;
    const attempt = i + 1;
    events.push(
      answer === 'ok'
        ? {
            type: 'cp.skill.output.accepted',
            subject,
            actor,
            data: { attempt, requestId, outputSha256: sha },
          }
        : {
            type: 'cp.skill.output.rejected',
            subject,
            actor,
            data: { attempt, requestId, errors: ['/x: bad'] },
          },
    );
    const l3 = options.l3?.[i];
    if (l3)
      events.push({
        type: 'cp.quality.l3.checked',
        subject,
        actor,
        data: {
          requestId,
          attempt,
          cited: ['GDPR:Art.5'],
          unknown: l3 === 'unknown' ? [{ text: 'Art. 120', framework: 'GDPR' }] : [],
          misattributed:
            l3 === 'misattributed' ? [{ text: 'MEASURE 2.8', named: 'ISO42001', actual: 'NIST-AI-RMF' }] : [],
        },
      });
  });
  events.push({ type: 'cp.run.completed', subject, actor, data: { status: options.status } });
  return events;
}

/** An L4 verdict on a skill run, as the judge records it: `passed` null is a judge that gave none. */
export function l4Judged(options: { runId: string; passed: boolean | null; costMicros?: number }): NewEvent {
  const score = options.passed === null ? null : options.passed ? 4 : 2;
  return {
    type: 'cp.quality.l4.judged',
    subject: `run/${options.runId}`,
    actor,
    meta: { runId: options.runId },
    data: {
      judgeId: `qj_${options.runId}_${String(options.passed)}`,
      skill: 'policy.map_controls',
      source: 'on_demand',
      outputSha256: sha,
      retrievedChunkIds: [],
      judges: [
        {
          provider: 'demo',
          model: 'demo',
          runId: `run_judge_${options.runId}`,
          status: score === null ? 'failed' : 'judged',
          calls: 1,
          rubric: null,
          unsupportedClaims: [],
          score,
          error: score === null ? 'malformed_verdict' : null,
          costMicros: options.costMicros ?? 0,
        },
      ],
      score,
      threshold: 3,
      passed: options.passed,
      disagreement: null,
      margin: 1,
      costMicros: options.costMicros ?? 0,
    },
  };
}
