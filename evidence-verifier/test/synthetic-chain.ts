import { createHash } from 'node:crypto';
import { canonicalJson, type EventEnvelope, GENESIS_PREV } from '../src/index.js';

/** Deterministic chained events of one org, for fixtures, tests and benchmarks. */
export function* syntheticChain(options: {
  org: string;
  count: number;
  start?: number;
}): Generator<EventEnvelope> {
  let prev = GENESIS_PREV;
  const base = Date.parse(`2026-03-01T09:00:00.000Z`);
  for (let seq = 1; seq <= options.count; seq++) {
    const body: Omit<EventEnvelope, 'hash'> = {
      org: options.org,
      seq,
      id: `0195a1b2-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
      type: seq % 3 === 0 ? 'cp.gate.policy.decided' : 'cp.llm.call.completed',
      subject: `call/${Math.ceil(seq / 3)}`,
      subjectVersion: ((seq - 1) % 3) + 1,
      time: new Date(base + seq * 1000).toISOString(),
      actor: { kind: 'apikey', id: 'key_7f3a' },
      data: {
        model: 'claude-sonnet-4',
        inputTokens: 1000 + (seq % 977),
        outputTokens: 200 + (seq % 131),
        costMicroUsd: 4000 + (seq % 5003),
        promptSha256: createHash('sha256').update(`prompt ${seq}`).digest('hex'),
        note: seq % 7 === 0 ? 'naïve café ✓ "quoted"\n' : 'ok',
      },
      meta: { runId: `run_${seq % 17}`, correlationId: `corr_${seq}` },
      prev,
    };
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    prev = hash;
    yield { ...body, hash };
  }
}
