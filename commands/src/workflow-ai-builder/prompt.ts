import type { ChatMessage } from '../providers/index.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import { PATCH_LIMITS, type PatchProblem } from './patch.js';

/** One earlier turn of the chat, as the panel keeps it. */
export interface BuilderTurn {
  role: 'user' | 'assistant';
  text: string;
}

export const BUILDER_SYSTEM = [
  'You edit a Proofpane workflow graph for the person you chat with.',
  'The graph is JSON: {"nodes":[{"id","type","config"}],"edges":[{"from","to","when"?}]}; node types are',
  'trigger, skill, condition, multi_agent, mcp_call, tool and hitl; exactly one trigger; no cycles.',
  'Answer with one JSON object {"summary","patch"} and nothing else: "summary" one line of what changes',
  `(at most ${PATCH_LIMITS.summaryChars} characters), "patch" an RFC 6902 JSON Patch against the graph`,
  `as given (at most ${PATCH_LIMITS.ops} operations). Append with "/nodes/-" and "/edges/-".`,
  'Change only what the person asked for. When nothing should change, answer an empty patch.',
].join(' ');

/** What a compliant model answers; the demo provider derives a value from it too. */
export const PROPOSAL_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'patch'],
  properties: {
    summary: { type: 'string', minLength: 1, maxLength: PATCH_LIMITS.summaryChars },
    patch: {
      type: 'array',
      maxItems: PATCH_LIMITS.ops,
      items: {
        type: 'object',
        required: ['op', 'path'],
        properties: {
          op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
          path: { type: 'string' },
          from: { type: 'string' },
          value: {},
        },
      },
    },
  },
} as const;

export function builderMessages(options: {
  graph: WorkflowGraph;
  message: string;
  history: readonly BuilderTurn[];
}): ChatMessage[] {
  return [
    ...options.history.map(
      (turn): ChatMessage =>
        turn.role === 'user'
          ? { role: 'user', content: turn.text }
          : { role: 'assistant', content: turn.text },
    ),
    {
      role: 'user',
      content: ['The graph now:', JSON.stringify(options.graph), 'Request:', options.message].join('\n'),
    },
  ];
}

/** The one repair turn: the refused answer and why, asking for the whole object again. */
export function repairMessages(options: {
  previous: ChatMessage[];
  answer: string;
  problems: readonly PatchProblem[];
}): ChatMessage[] {
  return [
    ...options.previous,
    { role: 'assistant', content: options.answer.slice(0, 20_000) },
    {
      role: 'user',
      content: [
        'That patch was refused:',
        ...options.problems.slice(0, 20).map((p) => `- ${p.code}: ${p.message}`),
        'Answer again with the whole corrected JSON object {"summary","patch"} against the graph as first given, and nothing else.',
      ].join('\n'),
    },
  ];
}
