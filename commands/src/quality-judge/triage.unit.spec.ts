import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { QualityJudgeError } from './errors.js';
import { type TriageOpened, triageDecider } from './triage.js';

const spec = deciderSpec(triageDecider);
const item: TriageOpened = {
  itemId: 'qt_run_1',
  runId: 'run_1',
  skill: 'policy.map_controls',
  reasons: ['l4_below_threshold'],
  output: '{"covered":[]}',
  l3: null,
  judgeId: 'qj_1',
  score: 2,
  disagreement: null,
  unsupportedClaims: ['the policy covers GDPR Art. 120'],
};
const opened = { type: 'cp.quality.triage.opened' as const, data: item };
const assigned = {
  type: 'cp.quality.triage.assigned' as const,
  data: { itemId: item.itemId, assignee: 'usr_b' },
};
const resolved = {
  type: 'cp.quality.triage.resolved' as const,
  data: { itemId: item.itemId, resolution: 'false_positive' as const, note: 'the claim is in the input' },
};
const code = (c: string) => (e: unknown) => e instanceof QualityJudgeError && e.code === c;

describe('the triage decider', () => {
  it('opens an item once per run: a second flag records nothing', () => {
    spec.given([]).when({ type: 'open', item }).then([opened]);
    spec
      .given([opened])
      .when({ type: 'open', item: { ...item, reasons: ['judge_disagreement'] } })
      .then([]);
  });

  it('assigns and reassigns while unresolved, and not to the assignee it already has', () => {
    spec.given([opened]).when({ type: 'assign', assignee: 'usr_b' }).then([assigned]);
    spec.given([opened, assigned]).when({ type: 'assign', assignee: 'usr_b' }).then([]);
    spec
      .given([opened, assigned])
      .when({ type: 'assign', assignee: 'usr_c' })
      .then([{ type: 'cp.quality.triage.assigned', data: { itemId: item.itemId, assignee: 'usr_c' } }]);
  });

  it('is resolved by an admin or by its assignee, with the note, and only once', () => {
    const resolve = (by: string, privileged: boolean) =>
      ({
        type: 'resolve',
        resolution: 'false_positive',
        note: 'the claim is in the input',
        by,
        privileged,
      }) as const;
    spec.given([opened]).when(resolve('usr_admin', true)).then([resolved]);
    spec.given([opened, assigned]).when(resolve('usr_b', false)).then([resolved]);
    spec.given([opened, assigned]).when(resolve('usr_c', false)).thenThrows(code('quality_triage_forbidden'));
    spec.given([opened]).when(resolve('usr_b', false)).thenThrows(code('quality_triage_forbidden'));
    spec
      .given([opened, resolved])
      .when(resolve('usr_admin', true))
      .thenThrows(code('quality_triage_resolved'));
    spec
      .given([opened, resolved])
      .when({ type: 'assign', assignee: 'usr_b' })
      .thenThrows(code('quality_triage_resolved'));
  });

  it('refuses to assign or resolve an item that was never opened', () => {
    spec.given([]).when({ type: 'assign', assignee: 'usr_b' }).thenThrows(code('quality_triage_not_found'));
    expect(triageDecider.initialState()).toEqual({ status: 'none' });
  });
});
