import { defineSkill } from '../../skill.js';
import { choice, flag, integer, list, object, text } from '../schema-parts.js';

const areas = [
  'fundamental_rights',
  'privacy',
  'fairness',
  'safety',
  'transparency',
  'accountability',
  'employment',
  'security',
  'environment',
] as const;

export const impactAssessment = defineSkill({
  id: 'risk.impact_assessment',
  category: 'risk',
  title: 'Assess the impacts of an AI system',
  description:
    'An AI system impact assessment (ISO/IEC 42001 A.5): who is affected and how, likelihood and severity of each impact, mitigations, human oversight, and whether a fundamental rights impact assessment or a DPIA is needed.',
  version: '1.0.0',
  inputSchema: object(
    {
      systemName: text('The AI system', 200),
      description: text('What it does, for whom, and which decisions it feeds', 20_000),
      affectedGroups: list(text('A group', 200), 'People affected by its outputs', { max: 20 }),
      deploymentContext: text('Where and at what scale it runs', 2_000),
    },
    ['affectedGroups', 'deploymentContext'],
  ),
  outputSchema: object({
    impacts: list(
      object({
        area: choice(areas, 'What kind of impact'),
        affectedGroup: text('Who bears it', 200),
        description: text('How the impact arises', 800),
        likelihood: integer(1, 5, '1 rare … 5 almost certain'),
        severity: integer(1, 5, '1 negligible … 5 severe and irreversible'),
        mitigation: text('What reduces it, and who owns that', 800),
      }),
      'The impacts, most serious first',
      { min: 1, max: 12 },
    ),
    overallImpact: choice(
      ['low', 'medium', 'high', 'critical'],
      'The overall impact level before mitigation',
    ),
    fundamentalRightsAssessmentRequired: flag('Whether EU AI Act Art. 27 requires a FRIA before use'),
    dpiaRequired: flag('Whether GDPR Art. 35 requires a DPIA'),
    humanOversightMeasures: list(text('A measure', 400), 'How people oversee and can stop the system', {
      min: 1,
      max: 8,
    }),
    residualRisk: text('What remains after the mitigations, for the owner to accept or not', 1_500),
  }),
  basePrompt: `You are conducting an AI system impact assessment in the sense of ISO/IEC 42001 (A.5) and the NIST
AI RMF MAP function. Identify the concrete impacts of the system on individuals, groups and society: on
fundamental rights, privacy, fairness and non-discrimination, safety, transparency, accountability,
employment, security and the environment. For each, name who bears it, rate likelihood and severity from 1
to 5, and propose a mitigation with an owner. State whether a fundamental rights impact assessment (EU AI Act
Art. 27) and a DPIA (GDPR Art. 35) are needed, the human oversight measures, and the residual risk. Be
specific to the system described; do not list generic impacts that do not follow from it.`,
  controls: [
    'ISO42001:A.5.2',
    'ISO42001:A.5.3',
    'ISO42001:A.5.4',
    'ISO42001:A.5.5',
    'EU-AI-ACT:Art.27',
    'GDPR:Art.35',
    'NIST-AI-RMF:MAP 5.1',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'benefit eligibility scoring affects fundamental rights',
      input: {
        systemName: 'Benefit eligibility scorer',
        description:
          'Scores applications for housing benefit and flags those to reject; affects fundamental rights of low-income applicants.',
        affectedGroups: ['applicants'],
      },
      assertions: [
        { type: 'equals', path: '/impacts/0/area', value: 'fundamental_rights' },
        { type: 'range', path: '/impacts/0/severity', min: 1, max: 5 },
        { type: 'schema', path: '/humanOversightMeasures', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'every impact is rated on both scales',
      input: {
        systemName: 'Warehouse picker routing',
        description: 'Plans picking routes for warehouse staff and sets their pace targets.',
      },
      assertions: [
        {
          type: 'schema',
          path: '/impacts',
          schema: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', required: ['likelihood', 'severity', 'mitigation'] },
          },
        },
        { type: 'range', path: '/impacts/0/likelihood', min: 1, max: 5 },
      ],
    },
    {
      name: 'a privacy-heavy system leads with privacy',
      input: {
        systemName: 'Meeting transcriber',
        description:
          'Records and transcribes internal meetings; the main concern is privacy of participants who did not agree to recording.',
      },
      assertions: [
        { type: 'contains', path: '/impacts/0/area', value: 'privacy' },
        { type: 'schema', path: '/residualRisk', schema: { type: 'string', minLength: 1 } },
      ],
    },
  ],
});
