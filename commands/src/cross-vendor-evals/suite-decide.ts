import type { Decider } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { CrossVendorError } from './errors.js';
import type { CrossVendorSuite } from './suite.js';
import { suiteProblems } from './suite-check.js';

export type SuiteFact = Fact<'cp.cross_vendor.suite.created'>;
export type SuiteCommand = { type: 'create'; suite: CrossVendorSuite };
export type SuiteState = { status: 'none' } | { status: 'created'; suite: CrossVendorSuite };

/** A suite: created once, on a fresh id, only when it can run as written. */
export const suiteDecider: Decider<SuiteCommand, SuiteState, SuiteFact> = {
  initialState: () => ({ status: 'none' }),
  understands: (type) => type === 'cp.cross_vendor.suite.created',
  decide(command, state) {
    if (state.status !== 'none')
      throw new CrossVendorError('cross_vendor_suite_invalid', 'a suite with this id already exists');
    const problems = suiteProblems(command.suite);
    if (problems.length > 0)
      throw new CrossVendorError(
        'cross_vendor_suite_invalid',
        problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        problems,
      );
    return [{ type: 'cp.cross_vendor.suite.created', data: command.suite }];
  },
  evolve: (_state, fact) => ({ status: 'created', suite: fact.data }),
};
