import { canonicalJson } from '@proofpane/core';
import { type AgentAnswer, type AnswerCluster, byWeight } from './answers.js';
import { normaliseAnswer } from './normalise.js';

type Schema = { [keyword: string]: unknown };

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * The fields of a structured answer that carry its decision: the schema's top-level properties with an
 * `enum` or `const`, or of type boolean or integer; when it has none, its required scalar properties.
 * Free text (a rationale) is left out, so two agents agreeing on the verdict agree whatever their wording.
 */
export function decisionFields(schema: Schema): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const decisive = Object.entries(properties)
    .filter(([, p]) => Array.isArray(p.enum) || 'const' in p || p.type === 'boolean' || p.type === 'integer')
    .map(([name]) => name);
  if (decisive.length > 0) return decisive.sort();
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return required.filter((name) => SCALARS.has(String(properties[name]?.type))).sort();
}

/** What a vote counts: the normalised text, or the decision fields of the parsed answer. */
export function voteKey(answer: AgentAnswer, fields: readonly string[] | undefined): string {
  if (!fields) return normaliseAnswer(answer.text);
  const value = (answer.value ?? {}) as Record<string, unknown>;
  return canonicalJson(Object.fromEntries(fields.map((f) => [f, value[f] ?? null])));
}

export interface VoteResult {
  clusters: AnswerCluster[];
  /** The majority answer's cluster; undefined on a tie for the most votes. */
  winner: AnswerCluster | undefined;
  tie: boolean;
}

/** A plurality vote: answers grouped by `voteKey`; the largest group wins unless another is as large. */
export function vote(answers: readonly AgentAnswer[], fields?: readonly string[]): VoteResult {
  const groups = new Map<string, AnswerCluster>();
  for (const answer of answers) {
    const key = voteKey(answer, fields);
    const group = groups.get(key);
    if (group) group.members.push(answer.agentIndex);
    else groups.set(key, { members: [answer.agentIndex], representative: answer });
  }
  const clusters = [...groups.values()].sort(byWeight);
  const [first, second] = clusters;
  const tie = first !== undefined && second !== undefined && second.members.length === first.members.length;
  return { clusters, winner: tie ? undefined : first, tie };
}
