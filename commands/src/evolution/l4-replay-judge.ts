import type { Actor, EventData, EventStore } from '@proofpane/core';
import { type L4Settings, QUALITY_SETTINGS_SUBJECT } from '../quality/settings.js';
import { type JudgeDeps, judgeOutput } from '../quality-judge/index.js';
import { parseAnswer } from '../skills/prompt.js';
import { type AnswerScore, type PairVerdict, type ReplayJudge, schemaAndEvalCasesJudge } from './judge.js';

/**
 * The org's L4 judge as the replay judge (decisions/0031): each answer is scored by the judges of the org's
 * quality settings, through the gateway on the `evolution` route, so a replay's judging is charged to the
 * evolution budget line and audited like any call. An invalid answer still loses to a valid one; between
 * two valid answers the higher L4 score wins, and where either judge failed the eval assertions decide.
 */
export function l4ReplayJudge(
  deps: Omit<JudgeDeps, 'route'>,
  options: { org: string; actor: Actor; settings: L4Settings },
): ReplayJudge {
  let spent = 0;
  const judgeDeps: JudgeDeps = { ...deps, route: 'evolution' };
  return {
    name: `l4:${options.settings.judge.provider}/${options.settings.judge.model}`,
    async score(request) {
      const base = schemaAndEvalCasesJudge.score(request) as AnswerScore;
      const parsed = parseAnswer(request.answer);
      const verdict = await judgeOutput(judgeDeps, {
        org: options.org,
        actor: options.actor,
        settings: options.settings,
        task: request.task,
        input: request.input,
        output: parsed.ok ? parsed.value : request.answer,
        chunks: [],
      });
      spent += verdict.costMicros;
      return { ...base, l4: verdict.score };
    },
    compare(candidate, active): PairVerdict {
      if (candidate.valid !== active.valid) return candidate.valid ? 'win' : 'loss';
      const a = candidate.l4 ?? null;
      const b = active.l4 ?? null;
      if (a !== null && b !== null && a !== b) return a > b ? 'win' : 'loss';
      return schemaAndEvalCasesJudge.compare(candidate, active);
    },
    costMicros: () => spent,
  };
}

/**
 * The org's L4 settings when an admin has set them (its quality settings record an `l4` section): L4 is
 * then on for replays. Null while the org never configured a judge, so replays keep the schema judge.
 */
export async function configuredL4(options: { store: EventStore; org: string }): Promise<L4Settings | null> {
  const events = await options.store.readSubject({ org: options.org, subject: QUALITY_SETTINGS_SUBJECT });
  let l4: L4Settings | null = null;
  for (const e of events)
    if (e.type === 'cp.quality.settings.updated') {
      const data = e.data as EventData<'cp.quality.settings.updated'>;
      if (data.l4) l4 = data.l4;
    }
  return l4;
}
