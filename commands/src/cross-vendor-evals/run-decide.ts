import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { RunError } from '../runs/decider.js';
import { classifyPair, judgedClass, type PairSide } from './compare.js';
import type { Severity, SuiteModelRef } from './suite.js';

export type CrossVendorRunFact = Fact<
  | 'cp.run.started'
  | 'cp.cross_vendor.run.started'
  | 'cp.cross_vendor.answer.recorded'
  | 'cp.cross_vendor.pair.compared'
  | 'cp.cross_vendor.run.completed'
  | 'cp.run.completed'
>;

type Answer = EventData<'cp.cross_vendor.answer.recorded'>;
type Diff = EventData<'cp.cross_vendor.pair.compared'>['diffs'][number];

export type CrossVendorRunCommand =
  | ({ type: 'start' } & EventData<'cp.cross_vendor.run.started'>)
  | ({ type: 'answer' } & Omit<Answer, 'suiteRunId'>)
  | {
      type: 'compare';
      caseIndex: number;
      a: number;
      b: number;
      diffs: Diff[];
      textDiffers: boolean;
      judge?: {
        runId: string;
        verdict: 'equivalent' | 'different' | 'failed';
        costMicros: number;
        error?: string;
      };
    }
  | { type: 'complete' };

export interface CrossVendorRunState {
  status: 'none' | 'other' | 'running' | 'completed';
  runId: string;
  cases: number;
  providers: SuiteModelRef[];
  judge: SuiteModelRef | null;
  /** `case:provider` → the answer's outcome. */
  answers: Map<string, PairSide>;
  /** `case:a:b` of the pairs compared. */
  pairs: Set<string>;
  counts: Record<Severity, number>;
  costMicros: number;
}

export const initialCrossVendorRunState = (runId = ''): CrossVendorRunState => ({
  status: 'none',
  runId,
  cases: 0,
  providers: [],
  judge: null,
  answers: new Map(),
  pairs: new Set(),
  counts: { critical: 0, warning: 0, info: 0 },
  costMicros: 0,
});

const refuse = (message: string) => new RunError('run_finished', message);

/**
 * A cross-vendor run (docs/cross-vendor-evals.md): started once on a fresh id, then one answer per case
 * and provider, one comparison per case and provider pair once both answered, its severity decided here
 * from the answers' outcomes, the diffs and the judge's verdict (the judge is refused on a critical pair
 * and required on a judged one), and completed once every pair is compared.
 */
export const crossVendorRunDecider: Decider<CrossVendorRunCommand, CrossVendorRunState, CrossVendorRunFact> =
  {
    initialState: () => initialCrossVendorRunState(),
    understands: (type) =>
      type === 'cp.run.started' || type === 'cp.run.completed' || type.startsWith('cp.cross_vendor.'),
    decide(command, state) {
      if (command.type === 'start') {
        if (state.status !== 'none') throw new RunError('run_exists', 'a run with this id already exists');
        const { type: _, ...started } = command;
        return [
          { type: 'cp.run.started', data: { kind: 'cross-vendor', name: started.name } },
          { type: 'cp.cross_vendor.run.started', data: started },
        ];
      }
      if (state.status !== 'running') throw refuse(`the run is ${state.status}, not running`);
      switch (command.type) {
        case 'answer': {
          const { type: _, ...answer } = command;
          if (answer.caseIndex >= state.cases || answer.providerIndex >= state.providers.length)
            throw refuse(`no case ${answer.caseIndex} or provider ${answer.providerIndex} in this run`);
          if (state.answers.has(`${answer.caseIndex}:${answer.providerIndex}`))
            throw refuse('this provider already answered this case');
          return [{ type: 'cp.cross_vendor.answer.recorded', data: { suiteRunId: state.runId, ...answer } }];
        }
        case 'compare': {
          const { caseIndex, a, b } = command;
          if (a >= b) throw refuse('a pair names its providers in order');
          const sideA = state.answers.get(`${caseIndex}:${a}`);
          const sideB = state.answers.get(`${caseIndex}:${b}`);
          if (!sideA || !sideB) throw refuse('both providers must answer before their answers are compared');
          if (state.pairs.has(`${caseIndex}:${a}:${b}`)) throw refuse('this pair was already compared');
          const verdict = classifyPair({
            a: sideA,
            b: sideB,
            diffs: command.diffs.length,
            textDiffers: command.textDiffers,
            judgeConfigured: state.judge !== null,
          });
          let decided: { severity: Severity; reason: ReturnType<typeof judgedClass>['reason'] };
          if ('judge' in verdict) {
            if (!command.judge) throw refuse('the pair differs in free text: the judge must decide it');
            decided = judgedClass(command.judge.verdict);
          } else {
            if (command.judge) throw refuse(`the judge is not asked on a ${verdict.severity} pair`);
            decided = verdict;
          }
          return [
            {
              type: 'cp.cross_vendor.pair.compared',
              data: {
                suiteRunId: state.runId,
                caseIndex,
                a,
                b,
                ...decided,
                diffs: command.diffs,
                judge: command.judge ?? null,
              },
            },
          ];
        }
        case 'complete':
          return [
            {
              type: 'cp.cross_vendor.run.completed',
              data: { ...state.counts, costMicros: state.costMicros },
            },
            { type: 'cp.run.completed', data: { status: 'succeeded' } },
          ];
        default:
          return command satisfies never;
      }
    },
    evolve(state, fact) {
      switch (fact.type) {
        case 'cp.run.started':
          return state.status === 'none' ? { ...state, status: 'other' } : state;
        case 'cp.cross_vendor.run.started':
          return {
            ...state,
            status: 'running',
            cases: fact.data.cases,
            providers: fact.data.providers,
            judge: fact.data.judge,
          };
        case 'cp.cross_vendor.answer.recorded': {
          const answers = new Map(state.answers);
          answers.set(`${fact.data.caseIndex}:${fact.data.providerIndex}`, {
            status: fact.data.status,
            valid: fact.data.valid,
          });
          return {
            ...state,
            runId: fact.data.suiteRunId,
            answers,
            costMicros: state.costMicros + fact.data.costMicros,
          };
        }
        case 'cp.cross_vendor.pair.compared': {
          const pairs = new Set(state.pairs).add(`${fact.data.caseIndex}:${fact.data.a}:${fact.data.b}`);
          const counts = { ...state.counts, [fact.data.severity]: state.counts[fact.data.severity] + 1 };
          return {
            ...state,
            pairs,
            counts,
            costMicros: state.costMicros + (fact.data.judge?.costMicros ?? 0),
          };
        }
        case 'cp.cross_vendor.run.completed':
        case 'cp.run.completed':
          return state.status === 'running' ? { ...state, status: 'completed' } : state;
        default:
          return fact satisfies never;
      }
    },
  };
