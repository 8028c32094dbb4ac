import type { ChatMessage } from '../providers/index.js';
import { describeProblem, type SchemaProblem } from './json-schema.js';
import type { Skill } from './skill.js';

const MAX_ANSWER_ECHO = 20_000;

export const INPUT_HEADING = 'Input (JSON):\n';
export const OUTPUT_CONTRACT =
  'Answer with one JSON object that matches the output schema, and nothing else.';

/** The one user message of a skill call: the input as JSON, and the contract the answer is held to. */
export const skillMessages = (options: { skill: Skill; input: unknown }): ChatMessage[] => [
  {
    role: 'user',
    content: [
      `Task: ${options.skill.title}.`,
      `${INPUT_HEADING}${JSON.stringify(options.input, null, 2) ?? ''}`,
      OUTPUT_CONTRACT,
    ].join('\n'),
  },
];

/** The repair turn: the rejected answer and what was wrong with it, asking for the whole object again. */
export const repairMessages = (options: {
  previous: ChatMessage[];
  answer: string;
  problems: readonly SchemaProblem[];
}): ChatMessage[] => [
  ...options.previous,
  { role: 'assistant', content: options.answer.slice(0, MAX_ANSWER_ECHO) },
  {
    role: 'user',
    content: [
      'That answer does not match the output schema:',
      ...options.problems.map((p) => `- ${describeProblem(p)}`),
      'Answer again with the whole corrected JSON object, and nothing else.',
    ].join('\n'),
  },
];

/** The answer's JSON: some models wrap it in a Markdown fence even in JSON mode. */
export function parseAnswer(
  text: string,
): { ok: true; value: unknown } | { ok: false; problem: SchemaProblem } {
  const fenced = text.trim().match(/^```(?:json)?\s*([\s\S]*?)\s*```$/);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : text) };
  } catch {
    return { ok: false, problem: { path: '', message: 'is not a JSON document' } };
  }
}
