import { deepStrictEqual } from 'node:assert/strict';

/**
 * `given(facts).when(request).then(decision)` over a pure decision that reads what a process looked up
 * rather than a subject's history (the gateway's `decideCall`): the same reading as `deciderSpec`.
 * `thenIt` hands the decision to a check, for results holding values a spec cannot spell out.
 */
export function decisionSpec<Request, Facts, Decision>(decide: (request: Request, facts: Facts) => Decision) {
  return {
    given(facts: Facts) {
      return {
        when(request: Request) {
          return {
            // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary; never awaited.
            then(expected: Decision) {
              deepStrictEqual(decide(request, facts), expected);
            },
            thenIt(check: (decision: Decision) => void) {
              check(decide(request, facts));
            },
          };
        },
      };
    },
  };
}
