import { defineSkill } from '../../skill.js';
import { curatedControlUid, frameworkKeys } from '../control-sets.js';
import { choice, choices, list, object, text } from '../schema-parts.js';

export const mapControls = defineSkill({
  id: 'policy.map_controls',
  category: 'policy',
  title: 'Map policy statements to controls',
  description:
    'Maps each statement of a policy or procedure to the controls it implements in the chosen frameworks, with the strength of the match, so one policy can evidence several frameworks at once.',
  version: '1.0.0',
  inputSchema: object({
    policyText: text('The policy or procedure', 100_000),
    frameworks: choices(frameworkKeys, 'Frameworks to map to', { min: 1, max: frameworkKeys.length }),
  }),
  outputSchema: object({
    mappings: list(
      object({
        statement: text('The policy statement, quoted or closely paraphrased', 600),
        controlUid: curatedControlUid('The control it implements'),
        strength: choice(['full', 'partial', 'weak'], 'How completely the statement meets the control'),
        rationale: text('Why it maps', 500),
      }),
      'Statement-to-control mappings',
      { min: 1, max: 40 },
    ),
    unmappedStatements: list(text('A statement', 600), 'Statements that implement no listed control', {
      max: 20,
    }),
    frameworksCovered: choices(frameworkKeys, 'Frameworks with at least one mapping', {
      max: frameworkKeys.length,
    }),
  }),
  basePrompt: `You are a GRC analyst building a control mapping. Split the policy into its distinct statements
(obligations, prohibitions, responsibilities, procedures). Map each to the controls it implements, using only
identifiers from the allowed list and only from the frameworks requested. Rate each mapping full, partial or
weak, and explain it briefly. One statement may map to several controls; statements that implement none are
listed separately. Do not stretch a mapping to make coverage look complete.`,
  controls: ['ISO42001:A.2.3', 'NIST-AI-RMF:GOVERN 1.1', 'SOC2:CC5.3', 'SOC2:CC2.2'],
  allowedTools: [],
  evalCases: [
    {
      name: 'maps to the requested framework',
      input: {
        policyText: 'Every personal data breach is reported to the DPO within 24 hours.',
        frameworks: ['gdpr'],
      },
      assertions: [
        { type: 'contains', path: '/frameworksCovered', value: 'gdpr' },
        { type: 'schema', path: '/mappings', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'rates every mapping',
      input: {
        policyText: 'Model changes are approved by the AI review board before deployment.',
        frameworks: ['iso_42001', 'nist_ai_rmf'],
      },
      assertions: [
        {
          type: 'schema',
          path: '/mappings',
          schema: {
            type: 'array',
            items: { type: 'object', properties: { strength: { enum: ['full', 'partial', 'weak'] } } },
          },
        },
      ],
    },
    {
      name: 'cites catalogue controls only',
      input: { policyText: 'Access to AI tools is granted by role.', frameworks: ['soc2'] },
      assertions: [
        { type: 'contains', path: '/frameworksCovered', value: 'soc2' },
        {
          type: 'schema',
          path: '/mappings/0/controlUid',
          schema: { type: 'string', pattern: '^[A-Z0-9-]+:' },
        },
      ],
    },
  ],
});
