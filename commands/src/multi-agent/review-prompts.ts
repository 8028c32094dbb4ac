import type { ChatMessage } from '../providers/types.js';

export const SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export interface Issue {
  severity: Severity;
  text: string;
}

/** The critic's answer: a list of issues, each with one of the four severities. */
export const CRITIQUE_SCHEMA = {
  type: 'object',
  properties: {
    issues: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        properties: {
          severity: { type: 'string', enum: [...SEVERITIES] },
          text: { type: 'string', maxLength: 1000 },
        },
        required: ['severity', 'text'],
        additionalProperties: false,
      },
    },
  },
  required: ['issues'],
  additionalProperties: false,
} as const;

const rubricLines = (rubric: string | undefined) => (rubric ? ['', 'Rubric:', rubric] : []);

export const DRAFTER_SYSTEM =
  'You write the best response you can to the task, following the rubric when one is given.';
export const CRITIC_SYSTEM = [
  'You are an adversarial reviewer. Find what is wrong with the draft: errors, omissions, unsupported claims,',
  'rubric violations. Rate each issue info, minor, major or critical. Report no issue you cannot justify.',
  'Reply with one JSON object {"issues": [{"severity": "...", "text": "..."}]} and nothing else.',
].join(' ');
export const REVISER_SYSTEM =
  'You revise a draft so that it answers the task and resolves the critique. Reply with the revised text only.';

export const draftMessages = (task: string, rubric?: string): ChatMessage[] => [
  { role: 'user', content: ['Task:', task, ...rubricLines(rubric)].join('\n') },
];

export const critiqueMessages = (task: string, draft: string, rubric?: string): ChatMessage[] => [
  {
    role: 'user',
    content: ['Task:', task, ...rubricLines(rubric), '', 'Draft to review:', draft].join('\n'),
  },
];

export const reviseMessages = (
  task: string,
  draft: string,
  issues: readonly Issue[],
  rubric?: string,
): ChatMessage[] => [
  {
    role: 'user',
    content: [
      'Task:',
      task,
      ...rubricLines(rubric),
      '',
      'Draft:',
      draft,
      '',
      'Critique:',
      ...issues.map((i) => `- [${i.severity}] ${i.text}`),
    ].join('\n'),
  },
];

/** The critic blocks the draft while it reports anything at or above `major`. */
export const blocks = (issues: readonly Issue[]) =>
  issues.some((i) => i.severity === 'major' || i.severity === 'critical');
