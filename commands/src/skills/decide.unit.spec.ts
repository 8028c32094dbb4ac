import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { RunError } from '../runs/decider.js';
import { REPAIR_FAILED, skillRunDecider } from './decide.js';
import type { SkillRunFact } from './facts.js';

const spec = deciderSpec(skillRunDecider);
const sha = 'a'.repeat(64);
const invoked = {
  skillId: 'risk.eu_ai_act_tier',
  skillVersion: '1.0.0',
  capsuleId: null,
  inputSha256: sha,
  provider: 'demo',
  model: 'demo',
};
const started: SkillRunFact[] = [
  { type: 'cp.run.started', data: { kind: 'skill', name: 'risk.eu_ai_act_tier' } },
  { type: 'cp.skill.invoked', data: invoked },
];
const rejected: SkillRunFact = {
  type: 'cp.skill.output.rejected',
  data: { attempt: 1, requestId: 'req_1', errors: ['/tier: is required'] },
};
const isCode = (code: string) => (error: unknown) => error instanceof RunError && error.code === code;

describe('the skill-run decider', () => {
  it('starts a skill run on a fresh id only', () => {
    spec
      .given([])
      .when({ type: 'invoke', ...invoked })
      .then(started);
    spec
      .given(started)
      .when({ type: 'invoke', ...invoked })
      .thenThrows(isCode('run_exists'));
    spec
      .given([{ type: 'cp.run.started', data: { kind: 'workflow', name: 'nightly' } }])
      .when({ type: 'invoke', ...invoked })
      .thenThrows(isCode('run_exists'));
  });

  it('accepts an answer and completes the run as succeeded', () => {
    spec
      .given(started)
      .when({ type: 'accept', requestId: 'req_1', outputSha256: sha })
      .then([
        { type: 'cp.skill.output.accepted', data: { attempt: 1, requestId: 'req_1', outputSha256: sha } },
        { type: 'cp.run.completed', data: { status: 'succeeded' } },
      ]);
    spec
      .given([...started, rejected])
      .when({ type: 'accept', requestId: 'req_2', outputSha256: sha })
      .then([
        { type: 'cp.skill.output.accepted', data: { attempt: 2, requestId: 'req_2', outputSha256: sha } },
        { type: 'cp.run.completed', data: { status: 'succeeded' } },
      ]);
  });

  it('allows one repair: a second rejection fails the run', () => {
    spec
      .given(started)
      .when({ type: 'reject', requestId: 'req_1', errors: ['/tier: is required'] })
      .then([rejected]);
    spec
      .given([...started, rejected])
      .when({ type: 'reject', requestId: 'req_2', errors: [] })
      .then([
        {
          type: 'cp.skill.output.rejected',
          data: { attempt: 2, requestId: 'req_2', errors: ['(root): invalid'] },
        },
        { type: 'cp.run.completed', data: { status: 'failed', error: REPAIR_FAILED } },
      ]);
  });

  it('bounds the errors it records', () => {
    const errors = Array.from({ length: 30 }, (_, i) => `/f${i}: ${'x'.repeat(400)}`);
    const [fact] = skillRunDecider.decide(
      { type: 'reject', requestId: 'req_1', errors },
      started.reduce(skillRunDecider.evolve, skillRunDecider.initialState()),
    );
    const recorded = (fact as Extract<SkillRunFact, { type: 'cp.skill.output.rejected' }>).data.errors;
    expect(recorded).toHaveLength(20);
    expect(Math.max(...recorded.map((e) => e.length))).toBe(300);
  });

  it('ends a running run as failed or cancelled, once', () => {
    spec
      .given(started)
      .when({ type: 'end', status: 'cancelled', error: 'stopped' })
      .then([{ type: 'cp.run.completed', data: { status: 'cancelled', error: 'stopped' } }]);
    const ended: SkillRunFact = {
      type: 'cp.run.completed',
      data: { status: 'failed', error: 'policy_blocked' },
    };
    spec
      .given([...started, ended])
      .when({ type: 'end', status: 'failed', error: 'x' })
      .thenThrows(isCode('run_finished'));
    spec
      .given([...started, ended])
      .when({ type: 'accept', requestId: 'req_1', outputSha256: sha })
      .thenThrows(isCode('run_finished'));
    spec
      .given([])
      .when({ type: 'reject', requestId: 'req_1', errors: [] })
      .thenThrows(isCode('run_not_found'));
  });
});
