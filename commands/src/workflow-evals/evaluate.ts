import { evaluateAssertions } from '../skills/assertions.js';
import type { WorkflowRunView } from '../workflow-runs/run-view.js';
import type { EvalCase, EvalCheck } from './suite.js';

const MAX_MESSAGE = 500;
const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);

/**
 * A case's checks against the run it started: the run succeeded, each assertion holds on its node's
 * output, the run completed exactly the expected nodes, and it took no more steps than allowed.
 */
export function evaluateCase(evalCase: EvalCase, run: WorkflowRunView): EvalCheck[] {
  const checks: EvalCheck[] = [
    run.status === 'succeeded'
      ? { kind: 'status', passed: true }
      : {
          kind: 'status',
          passed: false,
          message: clip(`the run ${run.status}${run.error ? `: ${run.error}` : ''}`),
        },
  ];
  const completed = new Map(run.steps.filter((s) => s.status === 'completed').map((s) => [s.nodeId, s]));
  for (const assertion of evalCase.assertions ?? []) {
    const { node, ...check } = assertion;
    const step = completed.get(node);
    if (!step) {
      checks.push({
        kind: 'assertion',
        node,
        type: check.type,
        passed: false,
        message: `node ${node} did not complete`,
      });
      continue;
    }
    const [result] = evaluateAssertions({ output: step.output, assertions: [check] }).results;
    checks.push({
      kind: 'assertion',
      node,
      type: check.type,
      passed: result?.passed ?? false,
      ...(result?.message ? { message: clip(result.message) } : {}),
    });
  }
  if (evalCase.expectedPath) {
    const expected = new Set(evalCase.expectedPath);
    const missing = [...expected].filter((n) => !completed.has(n));
    const extra = [...completed.keys()].filter((n) => !expected.has(n));
    checks.push(
      missing.length === 0 && extra.length === 0
        ? { kind: 'path', passed: true }
        : {
            kind: 'path',
            passed: false,
            message: clip(
              [
                missing.length ? `not completed: ${missing.join(', ')}` : '',
                extra.length ? `not expected: ${extra.join(', ')}` : '',
              ]
                .filter(Boolean)
                .join('; '),
            ),
          },
    );
  }
  if (evalCase.maxSteps !== undefined) {
    const steps = run.steps.reduce((sum, s) => sum + s.attempts, 0);
    checks.push(
      steps <= evalCase.maxSteps
        ? { kind: 'steps', passed: true }
        : {
            kind: 'steps',
            passed: false,
            message: `${steps} steps, over the budget of ${evalCase.maxSteps}`,
          },
    );
  }
  return checks;
}
