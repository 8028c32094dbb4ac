import { describe, expect, it } from 'vitest';
import { canonicalJson } from './envelope.js';
import { envelopeBody } from './envelope-body.js';

const base = {
  org: 'org_1',
  seq: 12,
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  type: 'cp.test.noted',
  subject: 'item/1',
  subjectVersion: 3,
  time: '2026-11-26T12:00:00.000Z',
  actor: { kind: 'user' as const, id: 'usr_1' },
  data: {},
  meta: {},
  prev: '0'.repeat(64),
};

describe('envelopeBody', () => {
  it('equals the general JCS of the envelope for awkward payloads', () => {
    const payloads = [
      {},
      { n: 1, b: [true, null, 1.5e-7, -0], a: 'x' },
      { '€': 'ünïcödé \u2028 \u0000 "quoted" \\ /', é: { z: [1, { y: 2, x: 1 }], a: 1e21 } },
      { nested: { deeper: { deepest: ['\ud83d\ude00', 'tab\there'] } }, big: 2 ** 53 - 1, small: 0.1 + 0.2 },
    ];
    for (const data of payloads) {
      const meta = { runId: 'run_1', parentRunId: 'run_0', correlationId: 'c "1"' };
      const envelope = { ...base, data, meta, subject: 'call/ä b', type: 'cp.gate.policy.decided' };
      expect(envelopeBody(envelope)).toBe(canonicalJson(envelope));
    }
  });
});
