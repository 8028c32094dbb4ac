import { defineSkill } from '../../skill.js';
import { anyControlUid } from '../control-sets.js';
import { choice, list, object, text } from '../schema-parts.js';

export const evidenceSummary = defineSkill({
  id: 'audit.evidence_summary',
  category: 'audit',
  title: 'Summarise the evidence for a control',
  description:
    'Summarises the evidence collected for one control over an audit period: what each item shows, whether together they suffice, and the gaps an auditor would raise.',
  version: '1.0.0',
  inputSchema: object(
    {
      controlUid: anyControlUid('The control, as its catalogue uid (e.g. ISO42001:A.6.2.8)'),
      controlDescription: text('How the organisation implements the control', 4_000),
      period: text('The audit period', 100),
      evidence: list(
        object({
          id: text('Evidence reference', 100),
          kind: choice(
            [
              'event_log',
              'policy_document',
              'ticket',
              'configuration',
              'screenshot',
              'attestation',
              'report',
            ],
            'What kind of evidence',
          ),
          description: text('What it contains', 4_000),
        }),
        'The evidence items',
        { min: 1, max: 50 },
      ),
    },
    ['controlDescription'],
  ),
  outputSchema: object({
    summary: text('What the evidence shows about the control, for the audit file', 2_000),
    items: list(
      object({
        evidenceId: text('The item’s reference', 100),
        relevance: choice(['direct', 'supporting', 'not_relevant'], 'How it bears on the control'),
        note: text('What it shows', 500),
      }),
      'Each item assessed',
      { min: 1, max: 50 },
    ),
    sufficiency: choice(
      ['insufficient', 'partially_sufficient', 'sufficient'],
      'Whether it supports the control',
    ),
    gaps: list(text('A gap', 400), 'What an auditor would still ask for', { max: 10 }),
  }),
  basePrompt: `You are an internal auditor preparing the file for one control. Read each evidence item and say
whether it bears directly on the control, supports it indirectly, or is not relevant, and what it shows.
Judge whether the evidence as a whole covers the whole audit period and the control's design and operation;
judge sufficiency strictly (a policy alone shows design, not operation). Name the gaps an external auditor
would raise. Refer to items by their references; do not invent evidence.`,
  controls: ['ISO42001:A.6.2.8', 'EU-AI-ACT:Art.12', 'SOC2:CC4.1', 'NIST-AI-RMF:GOVERN 1.4'],
  allowedTools: [],
  evalCases: [
    {
      name: 'assesses each item',
      input: {
        controlUid: 'ISO42001:A.6.2.8',
        period: '2026-Q3',
        evidence: [
          {
            id: 'EV-1',
            kind: 'event_log',
            description: 'Hash-chained log of every LLM call in the quarter.',
          },
          { id: 'EV-2', kind: 'policy_document', description: 'Logging standard v3.' },
        ],
      },
      assertions: [
        { type: 'schema', path: '/items', schema: { type: 'array', minItems: 1, maxItems: 50 } },
        { type: 'schema', path: '/summary', schema: { type: 'string', minLength: 1 } },
      ],
    },
    {
      name: 'a policy alone is insufficient',
      input: {
        controlUid: 'SOC2:CC6.1',
        period: '2026',
        evidence: [
          { id: 'P-7', kind: 'policy_document', description: 'Access control policy, approved in March.' },
        ],
      },
      assertions: [{ type: 'equals', path: '/sufficiency', value: 'insufficient' }],
    },
    {
      name: 'bounds the gaps',
      input: {
        controlUid: 'EU-AI-ACT:Art.12',
        period: 'H1 2026',
        evidence: [{ id: 'L-1', kind: 'report', description: 'Log retention report.' }],
      },
      assertions: [{ type: 'schema', path: '/gaps', schema: { type: 'array', maxItems: 10 } }],
    },
  ],
});
