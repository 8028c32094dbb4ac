import { Cron } from 'croner';
import { PROVIDER_IDS } from '../providers/types.js';
import { getSkill } from '../skills/catalogue/index.js';
import {
  assertValidSchema,
  describeProblem,
  type JsonSchema,
  validateAgainst,
} from '../skills/json-schema.js';
import type { SuiteProblem } from './errors.js';
import { parseDecisionPath } from './paths.js';
import { type CrossVendorSuite, modelLabel } from './suite.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What stops a suite from running as written, each problem named by its body field: providers the
 * product does not know or listed twice, decision-field paths outside the syntax, output schemas ajv
 * cannot compile, skills the catalogue lacks or inputs their schema refuses, a cron expression croner
 * rejects. Pure, so the decider can hold it.
 */
export function suiteProblems(suite: Omit<CrossVendorSuite, 'suiteId'>): SuiteProblem[] {
  const problems: SuiteProblem[] = [];
  const known = PROVIDER_IDS as readonly string[];
  const seen = new Set<string>();
  suite.providers.forEach((p, i) => {
    if (!known.includes(p.provider))
      problems.push({ field: `body.providers.${i}.provider`, message: `must be one of ${known.join(', ')}` });
    if (seen.has(modelLabel(p)))
      problems.push({ field: `body.providers.${i}`, message: `${modelLabel(p)} is listed twice` });
    seen.add(modelLabel(p));
  });
  if (suite.judge && !known.includes(suite.judge.provider))
    problems.push({ field: 'body.judge.provider', message: `must be one of ${known.join(', ')}` });
  suite.cases.forEach((c, i) => {
    const at = `body.cases.${i}`;
    (c.decisionFields ?? []).forEach((path, j) => {
      try {
        parseDecisionPath(path);
      } catch (error) {
        problems.push({ field: `${at}.decisionFields.${j}`, message: (error as Error).message });
      }
    });
    if (c.outputSchema !== undefined) {
      if (!isObject(c.outputSchema))
        problems.push({ field: `${at}.outputSchema`, message: 'must be a JSON Schema object' });
      else
        try {
          assertValidSchema(c.outputSchema as JsonSchema);
        } catch (error) {
          problems.push({ field: `${at}.outputSchema`, message: (error as Error).message.slice(0, 300) });
        }
    }
    if (!Array.isArray(c.input)) {
      const skill = getSkill(c.input.skill);
      if (!skill) problems.push({ field: `${at}.input.skill`, message: `no skill "${c.input.skill}"` });
      else
        for (const p of validateAgainst(skill.inputSchema, c.input.input))
          problems.push({ field: `${at}.input.input`, message: describeProblem(p) });
    }
  });
  if (suite.schedule !== null) {
    try {
      new Cron(suite.schedule, { paused: true, timezone: 'UTC' }).stop();
    } catch (error) {
      problems.push({
        field: 'body.schedule',
        message: `not a cron expression: ${(error as Error).message}`,
      });
    }
  }
  return problems;
}
