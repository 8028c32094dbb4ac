import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { getSkill, SKILLS } from '../skills/catalogue/index.js';
import { REPAIR_FAILED, skillRunDecider, UNKNOWN_CONTROL_FAILED } from '../skills/decide.js';
import type { SkillRunFact } from '../skills/facts.js';
import { checkSkillOutput, holdsControlIds, worthRecording } from './skill-output.js';

const gapAnalysis = getSkill('policy.gap_analysis')!;
const answer = (controlUid: string, summary: string) => ({
  framework: 'gdpr',
  covered: [{ controlUid, evidence: 'Personal data is minimised.' }],
  gaps: [],
  coveragePercent: 40,
  summary,
});

describe('L3 on skill answers', () => {
  it('finds the skills whose output schema holds control ids', () => {
    const holding = SKILLS.filter((s) => holdsControlIds(s.outputSchema)).map((s) => s.id);
    expect(holding).toEqual(
      expect.arrayContaining(['policy.gap_analysis', 'policy.map_controls', 'policy.draft_acceptable_use']),
    );
    expect(holding).not.toContain('intake.classify_use_case');
    expect(holding).not.toContain('audit.control_test');
  });

  it('cites the uids of control-id fields and the ids named in prose', () => {
    const checked = checkSkillOutput({
      schema: gapAnalysis.outputSchema,
      output: answer('GDPR:Art.5', 'Covers GDPR Art. 5(1)(c); see also NIST AI RMF MAP 1.1.'),
    });
    expect(checked).toEqual({
      result: { cited: ['GDPR:Art.5', 'NIST-AI-RMF:MAP 1.1'], unknown: [], misattributed: [] },
      problems: [],
      controlBearing: true,
    });
  });

  it('fails a control-bearing answer on each unknown id, naming it and where it sits', () => {
    const checked = checkSkillOutput({
      schema: gapAnalysis.outputSchema,
      output: answer('GDPR:Art.120', 'Also GDPR Art. 150, and ISO 42001 MEASURE 2.8.'),
    });
    expect(checked.result.unknown).toEqual([
      { text: 'Art. 120', framework: 'GDPR' },
      { text: 'Art. 150', framework: 'GDPR' },
    ]);
    expect(checked.result.misattributed).toEqual([
      { text: 'MEASURE 2.8', named: 'ISO42001', actual: 'NIST-AI-RMF' },
    ]);
    expect(checked.problems).toEqual([
      {
        path: '/covered/0/controlUid',
        message: 'names GDPR Art. 120, which the control catalogue does not hold',
      },
      { path: '/summary', message: 'cites GDPR Art. 150, which the control catalogue does not hold' },
    ]);
  });

  it('refuses a control-id field that is no uid at all', () => {
    const checked = checkSkillOutput({
      schema: gapAnalysis.outputSchema,
      output: answer('data minimisation', 'x'),
    });
    expect(checked.problems).toEqual([
      { path: '/covered/0/controlUid', message: 'is not a control uid of the catalogue' },
    ]);
  });

  it('records but never fails on prose ids for a skill without control-id fields', () => {
    const classify = getSkill('intake.classify_use_case')!;
    const checked = checkSkillOutput({
      schema: classify.outputSchema,
      output: { rationale: 'GDPR Art. 120 applies.', category: 'customer_support' },
    });
    expect(checked.result.unknown).toEqual([{ text: 'Art. 120', framework: 'GDPR' }]);
    expect(checked.problems).toEqual([]);
    expect(worthRecording(checked)).toBe(true);
    const silent = checkSkillOutput({
      schema: classify.outputSchema,
      output: { rationale: 'Section 4.2 applies.' },
    });
    expect(worthRecording(silent)).toBe(false);
    expect(
      worthRecording(
        checkSkillOutput({ schema: gapAnalysis.outputSchema, output: answer('GDPR:Art.5', 'x') }),
      ),
    ).toBe(true);
  });
});

describe('the skill-run decider with L3 findings', () => {
  const spec = deciderSpec(skillRunDecider);
  const sha = 'b'.repeat(64);
  const started: SkillRunFact[] = [
    { type: 'cp.run.started', data: { kind: 'skill', name: 'policy.gap_analysis' } },
    {
      type: 'cp.skill.invoked',
      data: {
        skillId: 'policy.gap_analysis',
        skillVersion: '1.0.0',
        capsuleId: null,
        inputSha256: sha,
        provider: 'demo',
        model: 'demo',
      },
    },
  ];
  const l3 = { cited: [], unknown: [{ text: 'Art. 120', framework: 'GDPR' as const }], misattributed: [] };
  const rejected: SkillRunFact = {
    type: 'cp.skill.output.rejected',
    data: { attempt: 1, requestId: 'req_1', errors: ['/summary: cites GDPR Art. 120'] },
  };

  it('appends the findings with the verdict on the answer they concern', () => {
    spec
      .given(started)
      .when({ type: 'accept', requestId: 'req_1', outputSha256: sha, l3: { ...l3, unknown: [] } })
      .then([
        {
          type: 'cp.quality.l3.checked',
          data: { requestId: 'req_1', attempt: 1, cited: [], unknown: [], misattributed: [] },
        },
        { type: 'cp.skill.output.accepted', data: { attempt: 1, requestId: 'req_1', outputSha256: sha } },
        { type: 'cp.run.completed', data: { status: 'succeeded' } },
      ]);
  });

  it('fails the run for unknown controls when the repair still cites them', () => {
    spec
      .given([...started, rejected])
      .when({
        type: 'reject',
        requestId: 'req_2',
        errors: ['/summary: cites GDPR Art. 120'],
        l3,
        unknownControls: true,
      })
      .then([
        { type: 'cp.quality.l3.checked', data: { requestId: 'req_2', attempt: 2, ...l3 } },
        { ...rejected, data: { ...rejected.data, attempt: 2, requestId: 'req_2' } },
        { type: 'cp.run.completed', data: { status: 'failed', error: UNKNOWN_CONTROL_FAILED } },
      ]);
    spec
      .given([...started, rejected])
      .when({ type: 'reject', requestId: 'req_2', errors: ['/summary: is required'] })
      .then([
        { ...rejected, data: { attempt: 2, requestId: 'req_2', errors: ['/summary: is required'] } },
        { type: 'cp.run.completed', data: { status: 'failed', error: REPAIR_FAILED } },
      ]);
  });
});
