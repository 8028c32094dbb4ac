import { WORKFLOW_RUN_STATUSES, WORKFLOW_STATUSES, WORKFLOW_STEP_STATUSES } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { runIsActive, runTone, stepTone, workflowTone } from './status';

describe('workflow status tones', () => {
  it('treats running and waiting runs as active and colours runs by how they ended', () => {
    expect(WORKFLOW_RUN_STATUSES.map((s) => [s, runIsActive(s), runTone(s)])).toEqual([
      ['running', true, 'warn'],
      ['waiting', true, 'warn'],
      ['succeeded', false, 'ok'],
      ['failed', false, 'bad'],
      ['cancelled', false, 'bad'],
    ]);
  });

  it('colours steps and workflows', () => {
    expect(WORKFLOW_STEP_STATUSES.map(stepTone)).toEqual(['warn', 'warn', 'warn', 'ok', 'bad']);
    expect(WORKFLOW_STATUSES.map(workflowTone)).toEqual(['', 'ok', 'bad']);
  });
});
