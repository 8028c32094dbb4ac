import { defineSkill } from '../../skill.js';
import { curatedControlUid, frameworkKeys } from '../control-sets.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

export const gapAnalysis = defineSkill({
  id: 'policy.gap_analysis',
  category: 'policy',
  title: 'Find the gaps between a policy and a framework',
  description:
    'Compares an AI policy with a framework (EU AI Act, ISO/IEC 42001, NIST AI RMF, GDPR, SOC 2): which of the framework’s LLM-governance controls it covers, which it misses, and what to add first.',
  version: '1.0.0',
  inputSchema: object(
    {
      policyText: text('The policy as written', 100_000),
      framework: choice(frameworkKeys, 'The framework to compare against'),
      scope: text('What the comparison should focus on', 1_000),
    },
    ['scope'],
  ),
  outputSchema: object({
    framework: choice(frameworkKeys, 'The framework compared against'),
    covered: list(
      object({
        controlUid: curatedControlUid('A control the policy covers'),
        evidence: text('The policy text that covers it', 800),
      }),
      'Controls the policy covers',
      { max: 30 },
    ),
    gaps: list(
      object({
        controlUid: curatedControlUid('A control the policy misses'),
        gap: text('What is missing', 600),
        priority: choice(['high', 'medium', 'low'], 'How urgently to close it'),
        remediation: text('Wording or process to add', 800),
      }),
      'Controls the policy misses or covers only in part, highest priority first',
      { max: 30 },
    ),
    coveragePercent: integer(0, 100, 'Share of the framework’s relevant controls covered'),
    summary: text('The state of the policy in a few sentences', 1_500),
  }),
  basePrompt: `You are a compliance analyst comparing an AI policy with the framework named in the input.
Consider the framework's controls from the allowed list that bear on governing LLM use and agents. For each,
decide whether the policy covers it (quote the covering text), covers it in part, or misses it. For gaps, say
what is missing, how urgent it is, and propose wording or a process to add. Cite only control identifiers from
the allowed list and only those of the named framework. Estimate the coverage percentage and summarise.`,
  controls: [
    'ISO42001:A.2.2',
    'ISO42001:A.2.4',
    'NIST-AI-RMF:GOVERN 1.1',
    'NIST-AI-RMF:GOVERN 1.5',
    'SOC2:CC4.1',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'echoes the framework compared against',
      input: {
        policyText:
          'All AI systems are listed in an inventory owned by the CIO. Incidents are reported to IT.',
        framework: 'iso_42001',
      },
      assertions: [
        { type: 'equals', path: '/framework', value: 'iso_42001' },
        { type: 'range', path: '/coveragePercent', min: 0, max: 100 },
      ],
    },
    {
      name: 'gaps carry a priority and a remediation',
      input: { policyText: 'Staff may use approved chat tools for drafting.', framework: 'eu_ai_act' },
      assertions: [
        {
          type: 'schema',
          path: '/gaps',
          schema: { type: 'array', items: { type: 'object', required: ['priority', 'remediation'] } },
        },
        { type: 'equals', path: '/framework', value: 'eu_ai_act' },
      ],
    },
    {
      name: 'summarises',
      input: {
        policyText: 'Personal data may not be entered into AI tools without a DPIA.',
        framework: 'gdpr',
        scope: 'privacy rules for chat tools',
      },
      assertions: [
        { type: 'equals', path: '/framework', value: 'gdpr' },
        { type: 'schema', path: '/summary', schema: { type: 'string', minLength: 1 } },
      ],
    },
  ],
});
