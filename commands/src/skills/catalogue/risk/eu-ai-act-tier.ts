import { defineSkill } from '../../skill.js';
import { choice, choices, confidence, flag, list, object, text } from '../schema-parts.js';

const articles = [
  'EU-AI-ACT:Art.4',
  'EU-AI-ACT:Art.5',
  'EU-AI-ACT:Art.6',
  'EU-AI-ACT:Art.9',
  'EU-AI-ACT:Art.10',
  'EU-AI-ACT:Art.11',
  'EU-AI-ACT:Art.12',
  'EU-AI-ACT:Art.13',
  'EU-AI-ACT:Art.14',
  'EU-AI-ACT:Art.15',
  'EU-AI-ACT:Art.16',
  'EU-AI-ACT:Art.17',
  'EU-AI-ACT:Art.26',
  'EU-AI-ACT:Art.27',
  'EU-AI-ACT:Art.43',
  'EU-AI-ACT:Art.49',
  'EU-AI-ACT:Art.50',
  'EU-AI-ACT:Art.53',
  'EU-AI-ACT:Art.55',
  'EU-AI-ACT:Art.72',
  'EU-AI-ACT:Art.73',
] as const;

export const euAiActTier = defineSkill({
  id: 'risk.eu_ai_act_tier',
  category: 'risk',
  title: 'Screen a system against the EU AI Act risk tiers',
  description:
    'A first screening of an AI system under Regulation (EU) 2024/1689: prohibited practice (Art. 5), high-risk (Art. 6 and Annex III), transparency obligations (Art. 50) or minimal risk, with the obligations that follow for the organisation’s role.',
  version: '1.0.0',
  inputSchema: object(
    {
      systemName: text('The AI system', 200),
      description: text('Its purpose, users, outputs and the decisions they feed', 20_000),
      role: choice(
        ['provider', 'deployer', 'importer', 'distributor'],
        'The organisation’s role under the Act',
      ),
      sector: text('The sector it is used in', 200),
      usedInEu: flag('Whether it is placed on the market or used in the EU'),
    },
    ['role', 'sector', 'usedInEu'],
  ),
  outputSchema: object({
    tier: choice(
      ['prohibited', 'high', 'limited', 'minimal'],
      'The risk tier the system most likely falls in',
    ),
    annexIIIAreas: choices(
      [
        'biometrics',
        'critical_infrastructure',
        'education',
        'employment',
        'essential_services',
        'law_enforcement',
        'migration',
        'justice_democracy',
      ],
      'Annex III areas the use falls in; empty when none',
      { max: 8 },
    ),
    article5Concerns: choices(
      [
        'subliminal_manipulation',
        'exploiting_vulnerabilities',
        'social_scoring',
        'predictive_policing',
        'facial_image_scraping',
        'emotion_recognition_work_education',
        'biometric_categorisation_sensitive',
        'realtime_remote_biometric_identification',
      ],
      'Prohibited practices the description comes close to; empty when none',
      { max: 8 },
    ),
    transparencyDuties: choices(
      [
        'disclose_ai_interaction',
        'mark_synthetic_content',
        'inform_emotion_recognition',
        'disclose_deepfakes',
      ],
      'Art. 50 duties that apply',
      { max: 4 },
    ),
    generalPurposeModel: flag('Whether the organisation provides a general-purpose AI model (Chapter V)'),
    obligations: list(
      object({
        article: choice(articles, 'The article that sets the obligation'),
        duty: text('What the organisation must do, for its role', 500),
      }),
      'The obligations that follow, most important first',
      { max: 12 },
    ),
    rationale: text('How the tier follows from the description, and what would change it', 2_000),
    confidence,
  }),
  basePrompt: `You are an EU AI Act compliance analyst doing a first screening of an AI system.
Decide the most likely risk tier under Regulation (EU) 2024/1689. Check Art. 5 prohibited practices first,
then high-risk: a safety component under Annex I legislation, or an Annex III use (biometrics, critical
infrastructure, education, employment, essential private and public services, law enforcement, migration,
administration of justice and democratic processes), keeping in mind the Art. 6(3) exceptions for narrow
procedural or preparatory tasks. Otherwise check the Art. 50 transparency duties (chatbots, synthetic content,
emotion recognition, deepfakes); anything else is minimal risk. List the obligations that follow for the
organisation's role (provider or deployer obligations differ). Explain your reasoning and what facts would
change the tier. This is a screening, not legal advice: lower your confidence where the description is thin.`,
  controls: [
    'EU-AI-ACT:Art.5',
    'EU-AI-ACT:Art.6',
    'EU-AI-ACT:Art.9',
    'EU-AI-ACT:Art.50',
    'NIST-AI-RMF:MAP 1.1',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'CV ranking for employment is high-risk',
      input: {
        systemName: 'Applicant ranker',
        description:
          'Ranks job applicants for employment decisions and filters out the lowest-scoring CVs before a recruiter looks; the HR team expects it to be high risk.',
        role: 'deployer',
      },
      assertions: [
        { type: 'equals', path: '/tier', value: 'high' },
        { type: 'contains', path: '/annexIIIAreas', value: 'employment' },
      ],
    },
    {
      name: 'a customer chatbot has limited-risk transparency duties',
      input: {
        systemName: 'Shop assistant',
        description:
          'A chatbot answers shoppers’ questions about products; it is a limited transparency case where users must be told they talk to an AI.',
        role: 'deployer',
      },
      assertions: [
        { type: 'equals', path: '/tier', value: 'limited' },
        { type: 'equals', path: '/annexIIIAreas', value: [] },
      ],
    },
    {
      name: 'a spam filter is minimal risk',
      input: {
        systemName: 'Mail filter',
        description:
          'Moves unsolicited bulk mail to a junk folder; a minimal use with no effect on anyone’s rights.',
      },
      assertions: [
        { type: 'equals', path: '/tier', value: 'minimal' },
        { type: 'equals', path: '/article5Concerns', value: [] },
        { type: 'range', path: '/confidence', min: 0, max: 1 },
      ],
    },
  ],
});
