import type { WorkflowStepView } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { keptOutputRef, recordedKeptSha256s } from './kept-outputs';

const step = (nodeId: string, output: unknown): WorkflowStepView => ({
  nodeId,
  status: 'completed',
  attempts: 1,
  startedAt: null,
  endedAt: null,
  output,
  costMicros: 0,
});

describe('recordedKeptSha256s', () => {
  it('reads the reference and hash of each kept output and ignores outputs kept in the log', () => {
    const ref = keptOutputRef('wfr_1', 'read', 2);
    const recorded = recordedKeptSha256s([
      step('read', { kept: { ref, sha256: 'ab'.repeat(32), fields: ['Id'] } }),
      step('classify', { kept: { sha256: 'cd'.repeat(32) } }),
      step('plain', { kept: 'not a reference' }),
      step('none', undefined),
    ]);
    expect(ref).toBe('workflow-output/wfr_1/read/2');
    expect([...recorded]).toEqual([[ref, 'ab'.repeat(32)]]);
  });
});
