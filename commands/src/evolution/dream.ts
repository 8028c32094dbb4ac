import { type Actor, type EventStore, newId } from '@proofpane/core';
import type { Gateway } from '../gateway/index.js';
import { parseAnswer } from '../skills/prompt.js';
import { EvolutionError } from './errors.js';
import { evolvableSkill } from './evolvable.js';
import { handleEvolutionCommand, loadEvolution } from './handlers.js';
import { evolutionModel } from './model.js';
import type { EvolutionSettings } from './settings.js';
import type { Signal, SignalKind } from './signals.js';
import { openProposals } from './state.js';

const MAX_CITED = 50;
const MAX_LISTED = 20;

/** On the offline demo provider, what a dream proposes for each kind of signal. */
const SCRIPTED: Record<SignalKind, string> = {
  l3_unknown:
    'Cite only control identifiers that appear in the input or in the catalogue you were given; when unsure of an id, name the control in words instead.',
  l4_below_threshold:
    'Support every statement with the input or the documents given; when the input does not say, answer that it is unknown rather than guessing.',
  triage_confirmed:
    'Answer only what the input supports, and fill every field the task asks for; a reviewer checks each claim against the input.',
  schema_repair:
    'Before answering, check every required field of the output schema is present with the right type, and answer with the JSON object only.',
  hitl_denied:
    'Propose only actions within the task as asked; when an action needs a person to approve it, say so in the answer instead of requesting it.',
  dlp_blocked:
    'Never repeat personal data, secrets or identifiers from the input; refer to them by their role (the customer, the key).',
  cost_anomaly: 'Keep the answer short: fill each field with the fewest words that carry its meaning.',
};

const DREAM_SYSTEM = [
  'You improve the system prompt of one governed skill.',
  'You are given the current prompt and events from the audit log that show where its answers fell short.',
  'Propose at most the number of genes asked: each gene is one short instruction (at most 400 characters)',
  'added to the prompt, with a rationale and the ids of the events it addresses, taken from the list only.',
].join(' ');

const proposalSchema = (slots: number) => ({
  type: 'object',
  additionalProperties: false,
  required: ['genes'],
  properties: {
    genes: {
      type: 'array',
      maxItems: slots,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'rationale', 'eventIds'],
        properties: {
          text: { type: 'string', minLength: 1, maxLength: 400 },
          rationale: { type: 'string', minLength: 1, maxLength: 2000 },
          eventIds: { type: 'array', maxItems: MAX_CITED, items: { type: 'string' } },
        },
      },
    },
  },
});

interface Proposal {
  text: string;
  rationale: string;
  eventIds: string[];
}

const byKind = (signals: readonly Signal[]) => {
  const groups = new Map<SignalKind, Signal[]>();
  for (const s of signals) groups.set(s.kind, [...(groups.get(s.kind) ?? []), s]);
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
};

const scripted = (signals: readonly Signal[], slots: number): Proposal[] =>
  byKind(signals)
    .slice(0, slots)
    .map(([kind, list]) => ({
      text: SCRIPTED[kind],
      rationale: `${list.length} ${kind.replace('_', ' ')} event${list.length === 1 ? '' : 's'} in the log since the skill's genes were last proposed.`,
      eventIds: list.slice(0, MAX_CITED).map((s) => s.eventId),
    }));

/** A model's proposals, keeping only genes that cite events of the list (an invented id is dropped). */
function parsed(text: string, known: ReadonlySet<string>, slots: number): Proposal[] {
  const answer = parseAnswer(text);
  if (!answer.ok) return [];
  const genes = (answer.value as { genes?: unknown }).genes;
  if (!Array.isArray(genes)) return [];
  return genes
    .flatMap((g: Record<string, unknown>): Proposal[] => {
      const geneText = typeof g.text === 'string' ? g.text.trim() : '';
      const rationale = typeof g.rationale === 'string' ? g.rationale.trim().slice(0, 2000) : '';
      const eventIds = Array.isArray(g.eventIds)
        ? [...new Set(g.eventIds.filter((id): id is string => typeof id === 'string' && known.has(id)))]
        : [];
      return geneText.length > 0 && geneText.length <= 400 && rationale && eventIds.length > 0
        ? [{ text: geneText, rationale, eventIds: eventIds.slice(0, MAX_CITED) }]
        : [];
    })
    .slice(0, slots);
}

export interface DreamOutcome {
  skills: number;
  signals: number;
  proposed: number;
  costMicros: number;
}

/**
 * One dream over one org: for each skill with signals no gene cited yet and room under
 * `maxOpenProposals`, a governed call on the `evolution` route asks for genes citing those events (on
 * `demo`, a scripted gene per kind of signal), and each is proposed with origin `dream`. Never approves.
 */
export async function dream(
  deps: { store: EventStore; gateway: Pick<Gateway, 'complete'> },
  request: {
    org: string;
    actor: Actor;
    settings: EvolutionSettings;
    signals: ReadonlyMap<string, Signal[]>;
    /** What the evolution line has left this month; the pass stops asking once its own calls spent it. */
    budgetLeftMicros?: number;
  },
): Promise<DreamOutcome> {
  const { org, actor, settings } = request;
  const { provider, model } = evolutionModel(settings.model);
  const outcome: DreamOutcome = { skills: 0, signals: 0, proposed: 0, costMicros: 0 };
  for (const [skillId, all] of request.signals) {
    const skill = evolvableSkill(skillId);
    if (!skill) continue;
    const { state } = await loadEvolution({ store: deps.store, org, skill: skill.id });
    const cited = new Set([...state.genes.values()].flatMap((g) => g.motivatingEventIds));
    const fresh = all.filter((s) => !cited.has(s.eventId));
    const slots = settings.maxOpenProposals - openProposals(state).length;
    if (fresh.length === 0 || slots <= 0) continue;
    if (request.budgetLeftMicros !== undefined && outcome.costMicros >= request.budgetLeftMicros) break;
    outcome.skills += 1;
    outcome.signals += fresh.length;
    const active = state.activeCapsuleId ? state.capsules.get(state.activeCapsuleId) : undefined;
    const listed = fresh.slice(-MAX_LISTED);
    const answered = await deps.gateway.complete({
      requestId: newId('req'),
      route: 'evolution',
      caller: { org, actor },
      stream: false,
      request: {
        provider,
        model,
        system: DREAM_SYSTEM,
        messages: [
          {
            role: 'user',
            content: [
              `Skill: ${skill.id} (${skill.title}). Propose at most ${slots} gene(s).`,
              'Current prompt:',
              active?.text ?? skill.basePrompt,
              'Events (id: kind):',
              ...listed.map((s) => `${s.eventId}: ${s.kind}`),
            ].join('\n'),
          },
        ],
        responseFormat: { type: 'json-schema', schema: proposalSchema(slots), name: 'gene_proposals' },
      },
    });
    outcome.costMicros += answered.costMicros;
    const proposals =
      provider === 'demo'
        ? scripted(fresh, slots)
        : parsed(answered.result.text, new Set(listed.map((s) => s.eventId)), slots);
    const runOf = new Map(fresh.map((s) => [s.eventId, s.runId]));
    for (const p of proposals) {
      try {
        await handleEvolutionCommand({
          store: deps.store,
          org,
          actor,
          command: {
            type: 'propose',
            geneId: newId('gene'),
            skill: skill.id,
            text: p.text,
            rationale: p.rationale,
            motivatingEventIds: p.eventIds,
            evidenceRunIds: [...new Set(p.eventIds.map((id) => runOf.get(id)!).filter(Boolean))],
            origin: 'dream',
            proposedBy: null,
            maxOpenProposals: settings.maxOpenProposals,
          },
        });
        outcome.proposed += 1;
      } catch (error) {
        // A gene already open or approved, or the skill's open slots taken meanwhile: nothing to add.
        if (!(error instanceof EvolutionError)) throw error;
      }
    }
  }
  return outcome;
}
