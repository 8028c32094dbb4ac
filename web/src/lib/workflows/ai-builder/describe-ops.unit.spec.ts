import { describe, expect, it } from 'vitest';
import type { Definition } from '../builder/definition';
import { describeOperation } from './describe-ops';

const definition: Definition = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'classify', type: 'skill', config: { skill: 'intake.classify_use_case', input: {} } },
  ],
  edges: [{ from: 'start', to: 'classify' }],
};

describe('describeOperation', () => {
  it.each([
    [
      { op: 'add', path: '/nodes/-', value: { id: 'approval', type: 'hitl', config: {} } },
      'Add step approval (hitl)',
    ],
    [{ op: 'remove', path: '/nodes/1' }, 'Remove step classify'],
    [
      { op: 'replace', path: '/nodes/1/config/skill', value: 'risk.register_risks' },
      'Set config.skill of classify to "risk.register_risks"',
    ],
    [
      { op: 'add', path: '/edges/-', value: { from: 'approval', to: 'classify', when: 'approved' } },
      'Connect approval → classify (approved)',
    ],
    [{ op: 'replace', path: '/edges/0/to', value: 'approval' }, 'Point start → classify to approval'],
    [{ op: 'remove', path: '/edges/0' }, 'Disconnect start → classify'],
    [{ op: 'move', from: '/nodes/0', path: '/nodes/1' }, 'Move /nodes/1 from /nodes/0'],
    [{ op: 'test', path: '/nodes/0/id', value: 'start' }, 'Checks /nodes/0/id first'],
  ] as const)('%j reads "%s"', (op, text) => {
    expect(describeOperation(definition, op)).toBe(text);
  });
});
