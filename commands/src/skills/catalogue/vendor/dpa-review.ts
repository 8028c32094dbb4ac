import { defineSkill } from '../../skill.js';
import { choice, choices, list, object, text } from '../schema-parts.js';

const requirements = [
  'documented_instructions',
  'confidentiality',
  'security_measures',
  'subprocessor_approval',
  'data_subject_rights_assistance',
  'breach_notification',
  'deletion_or_return',
  'audit_rights',
  'international_transfers',
  'no_training_on_customer_data',
] as const;

export const dpaReview = defineSkill({
  id: 'vendor.dpa_review',
  category: 'vendor',
  title: 'Review a data processing agreement',
  description:
    'Checks a vendor’s data processing agreement against GDPR Art. 28(3) and the transfer rules of Chapter V, plus the AI-specific term that customer data is not used for training; lists what is missing and what to negotiate.',
  version: '1.0.0',
  inputSchema: object(
    {
      vendorName: text('The vendor', 200),
      dpaText: text('The agreement’s text', 100_000),
      transfersOutsideEea: { type: 'boolean', description: 'Whether data leaves the EEA, if known' },
    },
    ['transfersOutsideEea'],
  ),
  outputSchema: object({
    clauses: list(
      object({
        requirement: choice(requirements, 'The requirement checked'),
        status: choice(['present', 'partial', 'missing'], 'Whether the agreement meets it'),
        evidence: text('The clause that meets it, quoted or cited, or what is absent', 800),
        recommendation: text('What to change or ask for', 600),
      }),
      'One entry per requirement checked',
      { min: 1, max: requirements.length },
    ),
    missing: choices(requirements, 'Requirements the agreement does not meet at all', {
      max: requirements.length,
    }),
    transferMechanism: choice(
      [
        'unclear',
        'none_needed',
        'adequacy_decision',
        'standard_contractual_clauses',
        'binding_corporate_rules',
      ],
      'The Chapter V mechanism the agreement relies on',
    ),
    overall: choice(['acceptable', 'acceptable_with_changes', 'not_acceptable'], 'Whether to sign'),
    negotiationPoints: list(text('A point', 400), 'Changes to ask for, most important first', { max: 12 }),
  }),
  basePrompt: `You are a privacy lawyer reviewing a data processing agreement between the organisation (controller)
and an AI vendor (processor). Check each requirement of GDPR Art. 28(3): processing only on documented
instructions, confidentiality of personnel, Art. 32 security measures, prior authorisation of subprocessors
with flow-down terms, assistance with data subject rights, breach notification without undue delay, deletion
or return at the end, and audit rights. Check the Chapter V mechanism for transfers outside the EEA, and
whether the vendor may use customer data (prompts, files, outputs) to train or improve models. Quote or cite
the clause for each finding; never assume a clause exists. Give an overall verdict and the negotiation points.`,
  controls: ['GDPR:Art.28', 'GDPR:Art.32', 'GDPR:Art.44', 'GDPR:Art.46', 'ISO42001:A.10.3', 'SOC2:P6.4'],
  allowedTools: [],
  evalCases: [
    {
      name: 'a short DPA misses requirements',
      input: {
        vendorName: 'Summarise Inc',
        dpaText:
          'The processor shall keep customer data confidential and implement appropriate security measures. The processor may engage subprocessors at its discretion.',
      },
      assertions: [
        { type: 'schema', path: '/clauses', schema: { type: 'array', minItems: 1 } },
        { type: 'schema', path: '/missing', schema: { type: 'array', uniqueItems: true } },
      ],
    },
    {
      name: 'standard contractual clauses are recognised',
      input: {
        vendorName: 'Global Speech',
        dpaText:
          'Transfers to the United States rely on the standard contractual clauses (module two) annexed hereto. Breaches are notified within 48 hours.',
        transfersOutsideEea: true,
      },
      assertions: [{ type: 'equals', path: '/transferMechanism', value: 'standard_contractual_clauses' }],
    },
    {
      name: 'every clause has evidence and a recommendation',
      input: {
        vendorName: 'Docs AI',
        dpaText: 'The processor processes personal data only on documented instructions from the controller.',
      },
      assertions: [
        {
          type: 'schema',
          path: '/clauses',
          schema: { type: 'array', items: { type: 'object', required: ['evidence', 'recommendation'] } },
        },
        { type: 'schema', path: '/overall', schema: { type: 'string' } },
      ],
    },
  ],
});
