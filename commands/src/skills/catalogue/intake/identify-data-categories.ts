import { defineSkill } from '../../skill.js';
import { choice, choices, flag, list, object, text } from '../schema-parts.js';

const categories = [
  'none',
  'contact_details',
  'identifiers',
  'financial',
  'health',
  'biometric',
  'genetic',
  'location',
  'employment',
  'education',
  'behavioural',
  'communications_content',
  'credentials',
  'racial_ethnic_origin',
  'political_opinions',
  'religious_beliefs',
  'trade_union_membership',
  'sex_life_orientation',
  'criminal_records',
] as const;

/** GDPR Art. 9(1) special categories, as named in `categories`. */
const special = [
  'health',
  'biometric',
  'genetic',
  'racial_ethnic_origin',
  'political_opinions',
  'religious_beliefs',
  'trade_union_membership',
  'sex_life_orientation',
] as const;

export const identifyDataCategories = defineSkill({
  id: 'intake.identify_data_categories',
  category: 'intake',
  title: 'Identify the data categories a use case processes',
  description:
    'Lists the personal and sensitive data an AI use case touches, the special categories of GDPR Art. 9, whose data it is, a likely lawful basis, and whether a DPIA is advisable.',
  version: '1.0.0',
  inputSchema: object(
    {
      name: text('The use case', 200),
      description: text('What the system does and with what data', 20_000),
      dataSources: list(text('A data source', 300), 'Where its data comes from', { max: 30 }),
    },
    ['dataSources'],
  ),
  outputSchema: object({
    categories: choices(categories, 'Data categories processed; only "none" when no personal data is', {
      min: 1,
      max: categories.length,
    }),
    specialCategories: choices(special, 'GDPR Art. 9 special categories among them', { max: special.length }),
    dataSubjects: choices(
      ['customers', 'employees', 'job_applicants', 'patients', 'students', 'children', 'public', 'suppliers'],
      'Whose data it is',
      { max: 8 },
    ),
    lawfulBasisHint: choice(
      [
        'not_applicable',
        'consent',
        'contract',
        'legal_obligation',
        'vital_interests',
        'public_task',
        'legitimate_interests',
      ],
      'The GDPR Art. 6 basis that most plausibly applies; for the DPO to confirm',
    ),
    dpiaRecommended: flag('Whether the processing looks likely to need a DPIA (GDPR Art. 35)'),
    notes: text('What drove the answer and what to confirm with the owner', 1_500),
  }),
  basePrompt: `You are a privacy analyst reviewing an AI use case before it goes live.
Identify every category of data the system processes, reading the description and data sources closely
(free-text fields, prompts and uploaded files often carry personal data too). Flag the GDPR Art. 9 special
categories separately, name whose data it is, and suggest the lawful basis that most plausibly applies.
Recommend a DPIA when special categories, large-scale monitoring, vulnerable people, or automated decisions
with significant effects are involved. Answer "none" as the only category when no personal data is
processed. Your answer is a starting point for the DPO: say in the notes what needs confirming.`,
  controls: ['GDPR:Art.9', 'GDPR:Art.30', 'GDPR:Art.35', 'ISO42001:A.7.2', 'NIST-AI-RMF:MEASURE 2.10'],
  allowedTools: [],
  evalCases: [
    {
      name: 'patient notes hold health data and contact details',
      input: {
        name: 'Clinic note summariser',
        description:
          'Summarises consultation notes for patients of our clinics, including their health history and contact details for follow-up.',
      },
      assertions: [
        { type: 'contains', path: '/categories', value: 'health' },
        { type: 'contains', path: '/categories', value: 'contact_details' },
        { type: 'contains', path: '/specialCategories', value: 'health' },
        { type: 'contains', path: '/dataSubjects', value: 'patients' },
      ],
    },
    {
      name: 'staff rota data is employment data about employees',
      input: {
        name: 'Shift planner',
        description:
          'Proposes shift rotas from employees availability and employment contracts (hours, grade).',
        dataSources: ['HR system'],
      },
      assertions: [
        { type: 'contains', path: '/categories', value: 'employment' },
        { type: 'contains', path: '/dataSubjects', value: 'employees' },
      ],
    },
    {
      name: 'sensor readings hold no personal data',
      input: {
        name: 'Turbine forecaster',
        description: 'Forecasts wind turbine output from anonymous sensor readings and weather feeds.',
      },
      assertions: [
        { type: 'equals', path: '/categories', value: ['none'] },
        { type: 'equals', path: '/specialCategories', value: [] },
      ],
    },
  ],
});
