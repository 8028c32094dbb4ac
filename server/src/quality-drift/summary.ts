import type { DriftSummary } from '@proofpane/api';
import { type DriftBucket, driftBuckets } from '@proofpane/projections';
import type { Kysely } from 'kysely';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPANS = {
  '24h': { ms: DAY, step: HOUR },
  '7d': { ms: 7 * DAY, step: HOUR },
  '30d': { ms: 30 * DAY, step: DAY },
};

type Rates = DriftSummary['skills'][number]['totals'];

const ratesOf = (b: { runs: number; passed: number; l3Checked: number; l3Flagged: number }): Rates => ({
  ...b,
  passRate: b.runs === 0 ? null : Math.round((b.passed / b.runs) * 1e4) / 1e4,
  hallucinationRate: b.l3Checked === 0 ? null : Math.round((b.l3Flagged / b.l3Checked) * 1e4) / 1e4,
});

const add = (a: Omit<DriftBucket, 'skill' | 'bucket'>, b: DriftBucket) => ({
  runs: a.runs + b.runs,
  passed: a.passed + b.passed,
  l3Checked: a.l3Checked + b.l3Checked,
  l3Flagged: a.l3Flagged + b.l3Flagged,
});
const ZERO = { runs: 0, passed: 0, l3Checked: 0, l3Flagged: 0 };

/** Pass and hallucination rates per bucket and skill, every bucket of the window listed (empty ones with null rates). */
export async function driftSummaryOf(
  db: Kysely<unknown>,
  options: { org: string; skill?: string | undefined; window: DriftSummary['window']; now: Date },
): Promise<DriftSummary> {
  const { ms, step } = SPANS[options.window];
  const to = Math.floor(options.now.getTime() / step) * step + step;
  const from = to - ms;
  const rows = await driftBuckets(db, {
    org: options.org,
    skill: options.skill,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  const bySkill = new Map<string, Map<number, Omit<DriftBucket, 'skill' | 'bucket'>>>();
  for (const r of rows) {
    const slot = Math.floor(Date.parse(r.bucket) / step) * step;
    const skill = bySkill.get(r.skill) ?? new Map();
    skill.set(slot, add(skill.get(slot) ?? ZERO, r));
    bySkill.set(r.skill, skill);
  }
  if (options.skill && !bySkill.has(options.skill)) bySkill.set(options.skill, new Map());
  const skills = [...bySkill.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([skill, slots]) => {
      const buckets: DriftSummary['skills'][number]['buckets'] = [];
      let totals = ZERO;
      for (let t = from; t < to; t += step) {
        const slot = slots.get(t) ?? ZERO;
        totals = add(totals, { ...slot, skill, bucket: '' });
        buckets.push({ start: new Date(t).toISOString(), ...ratesOf(slot) });
      }
      return { skill, totals: ratesOf(totals), buckets };
    });
  return {
    window: options.window,
    bucket: step === HOUR ? 'hour' : 'day',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    skills,
  };
}
