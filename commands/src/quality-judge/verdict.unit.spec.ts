import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { QualityJudgeError } from './errors.js';
import type { JudgeOutcome } from './judge.js';
import { judgedRunDecider } from './judged-run.js';
import { disagreementOf, type JudgeVerdict, judgeVerdictSchema, scoreOf } from './rubric.js';
import { combineVerdicts, verdictTriageReasons } from './verdict.js';

const verdict = (scores: [number, number, number, number], claims: string[] = []): JudgeVerdict => ({
  correctness: { score: scores[0], justification: 'c' },
  completeness: { score: scores[1], justification: 'c' },
  grounding: { score: scores[2], justification: 'g' },
  policyAdherence: { score: scores[3], justification: 'p' },
  unsupportedClaims: claims,
});
const outcome = (
  v: JudgeVerdict | null,
  costMicros = 10,
): { outcome: JudgeOutcome; verdict: JudgeVerdict | null } => ({
  verdict: v,
  outcome: {
    provider: 'openai',
    model: 'judge',
    runId: 'run_j',
    status: v ? 'judged' : 'failed',
    calls: v ? 1 : 2,
    rubric: v
      ? {
          correctness: v.correctness,
          completeness: v.completeness,
          grounding: v.grounding,
          policyAdherence: v.policyAdherence,
        }
      : null,
    unsupportedClaims: v?.unsupportedClaims ?? [],
    score: v ? scoreOf(v) : null,
    error: v ? null : 'malformed_verdict',
    costMicros,
  },
});

describe('the rubric', () => {
  it('scores a verdict by its weakest dimension and measures disagreement per dimension', () => {
    expect(scoreOf(verdict([5, 4, 2, 5]))).toBe(2);
    expect(disagreementOf(verdict([5, 4, 2, 5]), verdict([4, 4, 5, 5]))).toBe(3);
  });

  it('rejects scores outside 1–5, missing justifications and unknown fields', () => {
    expect(judgeVerdictSchema.safeParse(verdict([5, 4, 3, 2])).success).toBe(true);
    expect(judgeVerdictSchema.safeParse(verdict([6, 4, 3, 2])).success).toBe(false);
    expect(judgeVerdictSchema.safeParse({ ...verdict([5, 4, 3, 2]), grounding: { score: 3 } }).success).toBe(
      false,
    );
    expect(judgeVerdictSchema.safeParse({ ...verdict([5, 4, 3, 2]), overall: 5 }).success).toBe(false);
  });
});

describe('combining verdicts', () => {
  it('passes at the threshold, fails below it and sends the failure to triage', () => {
    const pass = combineVerdicts({ judged: [outcome(verdict([3, 4, 5, 5]))], threshold: 3, margin: 1 });
    expect(pass).toMatchObject({ score: 3, passed: true, disagreement: null, costMicros: 10 });
    expect(verdictTriageReasons(pass)).toEqual([]);
    const fail = combineVerdicts({ judged: [outcome(verdict([2, 4, 5, 5]))], threshold: 3, margin: 1 });
    expect(fail).toMatchObject({ score: 2, passed: false });
    expect(verdictTriageReasons(fail)).toEqual(['l4_below_threshold']);
  });

  it('takes the lower of two judges and flags a disagreement beyond the margin even when both pass', () => {
    const v = combineVerdicts({
      judged: [outcome(verdict([5, 5, 5, 5])), outcome(verdict([3, 5, 5, 5]))],
      threshold: 3,
      margin: 1,
    });
    expect(v).toMatchObject({ score: 3, passed: true, disagreement: 2, costMicros: 20 });
    expect(verdictTriageReasons(v)).toEqual(['judge_disagreement']);
    const within = combineVerdicts({
      judged: [outcome(verdict([5, 5, 5, 5])), outcome(verdict([4, 5, 5, 5]))],
      threshold: 3,
      margin: 1,
    });
    expect(verdictTriageReasons(within)).toEqual([]);
  });

  it('leaves a failed judge out, and has no pass verdict when every judge failed', () => {
    const one = combineVerdicts({
      judged: [outcome(null), outcome(verdict([4, 4, 4, 4]))],
      threshold: 3,
      margin: 1,
    });
    expect(one).toMatchObject({ score: 4, passed: true, disagreement: null });
    const none = combineVerdicts({ judged: [outcome(null)], threshold: 3, margin: 1 });
    expect(none).toMatchObject({ score: null, passed: null });
    expect(verdictTriageReasons(none)).toEqual([]);
  });
});

describe('the judged run', () => {
  const spec = deciderSpec(judgedRunDecider);
  const sha = (c: string) => c.repeat(64);
  const invoked = {
    type: 'cp.skill.invoked' as const,
    data: {
      skillId: 'policy.map_controls',
      skillVersion: '1',
      capsuleId: null,
      inputSha256: sha('a'),
      provider: 'demo',
      model: 'demo',
    },
  };
  const accepted = {
    type: 'cp.skill.output.accepted' as const,
    data: { attempt: 1, requestId: 'req_1', outputSha256: sha('b') },
  };
  const v = combineVerdicts({ judged: [outcome(verdict([4, 4, 4, 4]))], threshold: 3, margin: 1 });
  const judged = (source: 'sampled' | 'on_demand', outputSha256 = sha('b')) => ({
    judgeId: 'qj_1',
    skill: 'x.y',
    source,
    outputSha256,
    retrievedChunkIds: [],
    ...v,
  });
  const recorded = (source: 'sampled' | 'on_demand') => ({
    type: 'cp.quality.l4.judged' as const,
    data: { ...judged(source), skill: 'policy.map_controls' },
  });
  const code = (c: string) => (e: unknown) => e instanceof QualityJudgeError && e.code === c;

  it("records a verdict on the run's accepted answer under the run's skill", () => {
    spec
      .given([invoked, accepted])
      .when({ type: 'record', judged: judged('sampled') })
      .then([recorded('sampled')]);
  });

  it('refuses a run without an accepted answer, and an output the run did not record', () => {
    spec
      .given([invoked])
      .when({ type: 'record', judged: judged('on_demand') })
      .thenThrows(code('quality_run_not_judgeable'));
    spec
      .given([invoked, accepted])
      .when({ type: 'record', judged: judged('on_demand', sha('c')) })
      .thenThrows(code('quality_output_mismatch'));
  });

  it('records a sampled verdict once, while on-demand verdicts may follow', () => {
    spec
      .given([invoked, accepted, recorded('sampled')])
      .when({ type: 'record', judged: judged('sampled') })
      .then([]);
    spec
      .given([invoked, accepted, recorded('sampled')])
      .when({ type: 'record', judged: judged('on_demand') })
      .then([recorded('on_demand')]);
  });
});
