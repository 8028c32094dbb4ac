import { type Actor, type EventStore, newId } from '@proofpane/core';
import type { Gateway } from '../gateway/index.js';
import type { ChatMessage } from '../providers/index.js';
import { capsuleIdOf, composeCapsule } from './capsule-text.js';
import { EvolutionError } from './errors.js';
import { type EvolvableSkill, evolvableSkill } from './evolvable.js';
import { handleEvolutionCommand, loadEvolution } from './handlers.js';
import { type PairVerdict, type ReplayJudge, schemaAndEvalCasesJudge } from './judge.js';
import { evolutionModel } from './model.js';
import { evalCaseInputs, type ReplayInputSource } from './replay-inputs.js';
import type { ReplayResult } from './state.js';

export interface ReplayDeps {
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  judge?: ReplayJudge;
  inputs?: ReplayInputSource;
}

const messagesFor = (skill: EvolvableSkill, input: unknown): ChatMessage[] => [
  {
    role: 'user',
    content: [
      `Task: ${skill.title}.`,
      'Input (JSON):',
      JSON.stringify(input, null, 2),
      skill.outputSchema
        ? 'Answer with one JSON object that matches the output schema, and nothing else.'
        : '',
    ].join('\n'),
  },
];

/**
 * Replays up to `limit` inputs of the skill with the gene's candidate capsule and with the active one
 * (the base prompt while none is active), judges each pair and records the tally on the proposal as
 * `cp.evolution.gene.replayed`. Its calls are governed calls on the `evolution` route.
 */
export async function replayGene(
  deps: ReplayDeps,
  request: { org: string; actor: Actor; skill: string; geneId: string; limit: number; model: string | null },
): Promise<ReplayResult> {
  const skill = evolvableSkill(request.skill);
  if (!skill) throw new EvolutionError('evolution_skill_not_found', `no evolvable skill "${request.skill}"`);
  const { org, actor } = request;
  const { state } = await loadEvolution({ store: deps.store, org, skill: skill.id });
  const gene = state.genes.get(request.geneId);
  if (!gene) throw new EvolutionError('evolution_gene_not_found', `no gene ${request.geneId} for this skill`);
  if (gene.status !== 'proposed')
    throw new EvolutionError('evolution_gene_lifecycle', `a ${gene.status} gene is not replayed`);
  const textOf = (id: string) => state.genes.get(id)!.text;
  const candidateText = composeCapsule({
    basePrompt: skill.basePrompt,
    genes: [...state.approved.map(textOf), gene.text],
  });
  const active = state.activeCapsuleId ? state.capsules.get(state.activeCapsuleId) : undefined;
  const judge = deps.judge ?? schemaAndEvalCasesJudge;
  const { provider, model } = evolutionModel(request.model);
  const inputs = await (deps.inputs ?? evalCaseInputs).inputs({ org, skill, limit: request.limit });
  // Which runs were replayed is recorded by id only: the masked input itself stays out of the log.
  const recordedRunIds = inputs.flatMap((i) => (i.runId ? [i.runId] : []));
  let costMicros = 0;
  const ask = async (system: string, capsuleId: string | null, input: unknown) => {
    const answered = await deps.gateway.complete({
      requestId: newId('req'),
      route: 'evolution',
      caller: { org, actor },
      stream: false,
      request: {
        provider,
        model,
        system,
        messages: messagesFor(skill, input),
        ...(skill.outputSchema
          ? {
              responseFormat: {
                type: 'json-schema' as const,
                schema: skill.outputSchema,
                name: skill.id.replace('.', '_'),
                description: skill.title,
              },
            }
          : {}),
      },
      ...(capsuleId ? { capsuleId } : {}),
    });
    costMicros += answered.costMicros;
    return answered.result.text;
  };
  const cases: ReplayResult['cases'] = [];
  const tally: Record<PairVerdict, number> = { win: 0, loss: 0, tie: 0 };
  for (const replayed of inputs) {
    const score = (answer: string) =>
      judge.score({
        schema: skill.outputSchema,
        assertions: replayed.assertions,
        answer,
        input: replayed.input,
        task: skill.title,
      });
    const candidate = await score(await ask(candidateText, capsuleIdOf(candidateText), replayed.input));
    const current = await score(
      await ask(active?.text ?? skill.basePrompt, active?.capsuleId ?? null, replayed.input),
    );
    const verdict = judge.compare(candidate, current);
    tally[verdict] += 1;
    cases.push({
      name: replayed.name.slice(0, 200),
      candidate,
      active: current,
      assertions: replayed.assertions.length,
      verdict,
    });
  }
  const result: ReplayResult = {
    candidateCapsuleId: capsuleIdOf(candidateText),
    activeCapsuleId: active?.capsuleId ?? null,
    judge: judge.name,
    inputs: recordedRunIds.length > 0 ? 'recorded' : 'eval-cases',
    recordedInputs: recordedRunIds.length,
    evalCaseInputs: inputs.length - recordedRunIds.length,
    recordedRunIds,
    wins: tally.win,
    losses: tally.loss,
    ties: tally.tie,
    // The judge's own governed calls are on the same line when it makes any (the L4 judge).
    costMicros: costMicros + (judge.costMicros?.() ?? 0),
    cases,
  };
  await handleEvolutionCommand({
    store: deps.store,
    org,
    actor,
    command: { type: 'record-replay', geneId: gene.geneId, skill: skill.id, result },
  });
  return result;
}
