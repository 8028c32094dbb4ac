import { deepStrictEqual, fail } from 'node:assert/strict';
import type { Decider } from './decider.js';
import type { Fact } from './fact.js';

/** What a refused command must have thrown: an error class, or a check on the error. */
export type ExpectedError = (new (...args: never[]) => Error) | ((error: unknown) => boolean);

/**
 * `given(facts).when(command).then(facts)` or `.thenThrows(error)` over a pure decider, after Emmett's
 * DeciderSpecification: every capability's unit specs read the same way, with no store behind them.
 */
export function deciderSpec<Command, State, F extends Fact>(decider: Decider<Command, State, F>) {
  return {
    given(history: readonly F[]) {
      return {
        when(command: Command) {
          const run = () =>
            decider.decide(
              command,
              history.reduce((s, f) => decider.evolve(s, f), decider.initialState()),
            );
          return {
            // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary; never awaited.
            then(expected: readonly F[]) {
              deepStrictEqual(run(), expected);
            },
            thenThrows(expected: ExpectedError) {
              let decided: F[];
              try {
                decided = run();
              } catch (error) {
                const matches =
                  expected.prototype instanceof Error || expected === Error
                    ? error instanceof (expected as new (...args: never[]) => Error)
                    : (expected as (error: unknown) => boolean)(error);
                if (!matches) throw error;
                return error;
              }
              return fail(`expected the command to be refused; it decided ${JSON.stringify(decided)}`);
            },
          };
        },
      };
    },
  };
}
