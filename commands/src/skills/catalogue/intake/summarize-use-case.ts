import { defineSkill } from '../../skill.js';
import { list, object, text } from '../schema-parts.js';

const items = (description: string, bounds: { min?: number; max?: number } = {}) =>
  list(text(description, 300), description, { max: 10, ...bounds });

export const summarizeUseCase = defineSkill({
  id: 'intake.summarize_use_case',
  category: 'intake',
  title: 'Summarise an AI use case for review',
  description:
    'Turns an intake submission into the record a review board reads: purpose, users, data in, outputs and decisions, human oversight, and the questions still open.',
  version: '1.0.0',
  inputSchema: object(
    {
      name: text('The use case as its owner calls it', 200),
      description: text('The submission as written', 20_000),
      stakeholders: list(text('A stakeholder', 200), 'People or teams involved', { max: 30 }),
      systems: list(text('A system', 200), 'Systems and vendors it connects to', { max: 30 }),
    },
    ['stakeholders', 'systems'],
  ),
  outputSchema: object({
    summary: text('Three to five sentences a board member understands', 1_500),
    purpose: text('The business purpose and the benefit claimed', 600),
    intendedUsers: items('Who uses the system or receives its outputs', { min: 1 }),
    dataInputs: items('The data the system takes in'),
    outputsAndDecisions: items('What it produces, and which decisions those outputs feed'),
    humanOversight: text('Who reviews outputs, when, and who can stop the system', 600),
    openQuestions: items('What the submission leaves unanswered that reviewers need'),
  }),
  basePrompt: `You are preparing an AI use case for an organisation's AI review board.
Summarise the submission faithfully: state its purpose and benefit, who uses it, the data it takes in, what it
produces and which decisions those outputs feed, and how people oversee it. Do not invent facts: when the
submission does not say something a reviewer needs (data retention, human review, affected people, vendors,
accuracy evidence), list it under openQuestions instead. Write plainly, without marketing language, and name
the use case in the first sentence of the summary.`,
  controls: ['NIST-AI-RMF:MAP 1.1', 'NIST-AI-RMF:MAP 1.4', 'ISO42001:A.6.2.2', 'ISO42001:A.9.4'],
  allowedTools: [],
  evalCases: [
    {
      name: 'names the use case in the summary',
      input: {
        name: 'Invoice matcher',
        description:
          'Reads supplier invoices and matches them against purchase orders; mismatches go to the accounts payable team.',
      },
      assertions: [
        { type: 'contains', path: '/summary', value: 'Invoice matcher' },
        { type: 'schema', path: '/intendedUsers', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'keeps open questions bounded',
      input: {
        name: 'Sales call notes',
        description: 'Transcribes sales calls and drafts follow-up notes in the CRM.',
        systems: ['CRM', 'video conferencing'],
      },
      assertions: [
        { type: 'schema', path: '/openQuestions', schema: { type: 'array', maxItems: 10 } },
        { type: 'contains', path: '/summary', value: 'Sales call notes' },
      ],
    },
    {
      name: 'describes oversight',
      input: {
        name: 'Claims triage',
        description:
          'Sorts incoming insurance claims by urgency; a claims handler confirms each before it is assigned.',
        stakeholders: ['claims operations', 'compliance'],
      },
      assertions: [
        { type: 'schema', path: '/humanOversight', schema: { type: 'string', minLength: 1 } },
        { type: 'schema', schema: { type: 'object', required: ['purpose', 'dataInputs'] } },
      ],
    },
  ],
});
