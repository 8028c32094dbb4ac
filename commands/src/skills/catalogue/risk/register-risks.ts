import { defineSkill } from '../../skill.js';
import { curatedControlUid } from '../control-sets.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

export const registerRisks = defineSkill({
  id: 'risk.register_risks',
  category: 'risk',
  title: 'Draft risk register entries for an AI system',
  description:
    'Drafts AI risk register entries: each risk with its category, likelihood, impact, inherent and residual scores, treatment, owner and the controls that address it.',
  version: '1.0.0',
  inputSchema: object(
    {
      systemName: text('The AI system', 200),
      description: text('What it does, on which model and data, for whom', 20_000),
      knownIssues: list(text('An issue', 500), 'Problems already seen in testing or use', { max: 30 }),
      riskAppetite: choice(['low', 'moderate', 'high'], 'How much risk the organisation accepts'),
    },
    ['knownIssues', 'riskAppetite'],
  ),
  outputSchema: object({
    risks: list(
      object({
        title: text('A short name for the risk', 150),
        category: choice(
          [
            'accuracy',
            'bias',
            'privacy',
            'security',
            'safety',
            'transparency',
            'legal',
            'third_party',
            'operational',
            'misuse',
          ],
          'The kind of risk',
        ),
        description: text('Cause, event and consequence', 800),
        likelihood: integer(1, 5, '1 rare … 5 almost certain'),
        impact: integer(1, 5, '1 negligible … 5 severe'),
        inherentScore: integer(1, 25, 'Likelihood × impact before treatment'),
        treatment: choice(['mitigate', 'accept', 'transfer', 'avoid'], 'How the risk is treated'),
        controls: list(curatedControlUid('A control that addresses the risk'), 'Controls that treat it', {
          min: 1,
          max: 6,
        }),
        owner: text('The role accountable for the risk', 150),
        residualScore: integer(1, 25, 'Likelihood × impact after treatment'),
      }),
      'The register entries, highest inherent score first',
      { min: 1, max: 15 },
    ),
    topRisk: text('The risk to raise with the accountable executive, and why', 600),
  }),
  basePrompt: `You are an AI risk manager drafting risk register entries for the system described.
Identify the risks that follow from its purpose, model, data, users and known issues: accuracy and
hallucination, bias, privacy, security (including prompt injection and tool misuse), safety, transparency,
legal, third-party and operational risks. Write each as cause, event and consequence. Score likelihood and
impact from 1 to 5 and the inherent score as their product; choose a treatment consistent with the stated
risk appetite, name the controls that treat the risk from the allowed list only, name an owner role, and give
the residual score expected after treatment (never above the inherent score). Order by inherent score.`,
  controls: [
    'NIST-AI-RMF:MAP 5.1',
    'NIST-AI-RMF:MEASURE 3.1',
    'NIST-AI-RMF:MANAGE 1.2',
    'NIST-AI-RMF:MANAGE 1.3',
    'EU-AI-ACT:Art.9',
    'SOC2:CC3.2',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'a RAG assistant gets scored entries',
      input: {
        systemName: 'Policy Q&A assistant',
        description: 'Answers staff questions from the intranet policy library with retrieval and an LLM.',
        knownIssues: ['cites outdated policies'],
      },
      assertions: [
        { type: 'schema', path: '/risks', schema: { type: 'array', minItems: 1, maxItems: 15 } },
        { type: 'range', path: '/risks/0/inherentScore', min: 1, max: 25 },
        { type: 'range', path: '/risks/0/likelihood', min: 1, max: 5 },
      ],
    },
    {
      name: 'each risk names controls and an owner',
      input: {
        systemName: 'Code agent',
        description: 'An agent that edits repositories and runs shell commands in CI on request.',
        riskAppetite: 'low',
      },
      assertions: [
        {
          type: 'schema',
          path: '/risks',
          schema: {
            type: 'array',
            items: {
              type: 'object',
              required: ['controls', 'owner'],
              properties: { controls: { type: 'array', minItems: 1 } },
            },
          },
        },
      ],
    },
    {
      name: 'residual scores stay on the scale',
      input: {
        systemName: 'Credit limit advisor',
        description: 'Suggests credit limit changes for existing customers; an analyst approves each.',
      },
      assertions: [
        { type: 'range', path: '/risks/0/residualScore', min: 1, max: 25 },
        { type: 'schema', path: '/topRisk', schema: { type: 'string', minLength: 1 } },
      ],
    },
  ],
});
