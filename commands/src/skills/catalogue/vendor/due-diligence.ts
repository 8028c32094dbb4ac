import { defineSkill } from '../../skill.js';
import { choice, choices, list, object, text } from '../schema-parts.js';

export const dueDiligence = defineSkill({
  id: 'vendor.due_diligence',
  category: 'vendor',
  title: 'Review an AI vendor’s due-diligence answers',
  description:
    'Reads an AI vendor’s questionnaire answers and certifications and rates the vendor: security and privacy posture, use of customer data for training, data residency, findings by area and the contract terms to require.',
  version: '1.0.0',
  inputSchema: object(
    {
      vendorName: text('The vendor', 200),
      product: text('The product or model service being bought', 200),
      questionnaireAnswers: text('The vendor’s answers, as received', 50_000),
      certifications: list(text('A certification or report', 200), 'What the vendor claims to hold', {
        max: 20,
      }),
      intendedUse: text('What the organisation will use it for, and with what data', 4_000),
    },
    ['certifications', 'intendedUse'],
  ),
  outputSchema: object({
    riskRating: choice(['low', 'medium', 'high', 'critical'], 'The vendor’s overall risk for this use'),
    recommendation: choice(
      ['needs_more_information', 'approve', 'approve_with_conditions', 'reject'],
      'What the review board should decide',
    ),
    certificationsEvidenced: choices(
      ['soc2_type2', 'iso27001', 'iso42001', 'iso27701', 'pci_dss', 'hipaa', 'fedramp'],
      'Certifications the answers actually evidence (a report or certificate, not a claim)',
      { max: 7 },
    ),
    trainingOnCustomerData: choice(
      ['unknown', 'no', 'opt_in', 'opt_out', 'yes'],
      'Whether the vendor trains its models on customer data',
    ),
    dataResidency: text('Where customer data is stored and processed, as stated', 400),
    findings: list(
      object({
        area: choice(
          [
            'security',
            'privacy',
            'model_governance',
            'data_retention',
            'incident_response',
            'subprocessors',
            'contract',
            'resilience',
          ],
          'Area of the finding',
        ),
        finding: text('What the answers show or fail to show', 600),
        severity: choice(['info', 'low', 'medium', 'high'], 'How much it matters for this use'),
      }),
      'Findings, most severe first',
      { min: 1, max: 15 },
    ),
    requiredContractTerms: list(text('A term', 400), 'Terms to require before signing', { max: 12 }),
  }),
  basePrompt: `You are a third-party risk analyst reviewing an AI vendor for the use described.
Read the questionnaire answers critically: distinguish evidence (an audit report, a certificate with scope and
date) from claims. Establish whether the vendor trains models on customer data and on what terms, where data is
stored and processed, which subprocessors are involved, how long prompts and outputs are retained, how
incidents are notified, and how the vendor governs model changes. Record findings by area with a severity
relative to the intended use, rate the vendor, recommend a decision, and list the contract terms to require
(e.g. no training on customer data, breach notice deadlines, audit rights, deletion on exit). When key answers
are missing, recommend needs_more_information and say what to ask.`,
  controls: [
    'NIST-AI-RMF:GOVERN 6.1',
    'NIST-AI-RMF:MANAGE 3.1',
    'ISO42001:A.10.3',
    'SOC2:CC9.2',
    'GDPR:Art.28',
    'EU-AI-ACT:Art.25',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'evidenced certifications are recognised',
      input: {
        vendorName: 'Acme Models',
        product: 'Hosted LLM API',
        questionnaireAnswers:
          'We hold iso27001 certification (certificate attached, scope: hosting). Our soc2 type2 report covers 2025. Customer data is not used for training.',
      },
      assertions: [
        { type: 'contains', path: '/certificationsEvidenced', value: 'iso27001' },
        { type: 'contains', path: '/certificationsEvidenced', value: 'soc2_type2' },
        { type: 'schema', path: '/findings', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'silence on training means unknown and more information',
      input: {
        vendorName: 'Quiet AI',
        product: 'Transcription service',
        questionnaireAnswers: 'Data is hosted in Frankfurt. Further details under NDA.',
      },
      assertions: [
        { type: 'equals', path: '/trainingOnCustomerData', value: 'unknown' },
        { type: 'equals', path: '/recommendation', value: 'needs_more_information' },
      ],
    },
    {
      name: 'the answer rates the vendor',
      input: {
        vendorName: 'Vision Labs',
        product: 'Image tagging',
        questionnaireAnswers: 'We retain images for 30 days for debugging. Subprocessors listed on our site.',
        intendedUse: 'Tagging product photos; no people in the images.',
      },
      assertions: [
        { type: 'schema', path: '/riskRating', schema: { enum: ['low', 'medium', 'high', 'critical'] } },
        { type: 'schema', path: '/requiredContractTerms', schema: { type: 'array', maxItems: 12 } },
      ],
    },
  ],
});
