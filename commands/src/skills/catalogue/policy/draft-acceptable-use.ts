import { defineSkill } from '../../skill.js';
import { curatedControlUid } from '../control-sets.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

export const draftAcceptableUse = defineSkill({
  id: 'policy.draft_acceptable_use',
  category: 'policy',
  title: 'Draft an AI acceptable use policy',
  description:
    'Drafts an AI acceptable use policy for an audience: scope, approved tools, prohibited uses, data handling rules, what needs approval, and the review cycle, mapped to the controls it supports.',
  version: '1.0.0',
  inputSchema: object(
    {
      organisationName: text('The organisation', 200),
      audience: choice(
        ['all_staff', 'engineering', 'customer_support', 'executives'],
        'Who the policy addresses',
      ),
      approvedTools: list(text('A tool', 200), 'AI tools staff may use', { max: 30 }),
      prohibitedUses: list(text('A use', 400), 'Uses the organisation already forbids', { max: 30 }),
      jurisdictions: list(text('A jurisdiction', 100), 'Where the organisation operates', { max: 20 }),
    },
    ['approvedTools', 'prohibitedUses', 'jurisdictions'],
  ),
  outputSchema: object({
    title: text('The policy title, naming the organisation', 200),
    scope: text('Who and what the policy covers', 800),
    sections: list(
      object({ heading: text('Section heading', 150), body: text('Section text, plain and direct', 4_000) }),
      'The policy’s sections in order',
      { min: 3, max: 12 },
    ),
    prohibitedUses: list(text('A prohibited use', 400), 'What staff must never do with AI', {
      min: 1,
      max: 20,
    }),
    dataHandlingRules: list(text('A rule', 400), 'What data may go into which tools', { min: 1, max: 20 }),
    approvalRequiredFor: list(text('A use', 400), 'Uses that need prior approval, and from whom', {
      max: 15,
    }),
    reviewCycleMonths: integer(3, 24, 'How often the policy is reviewed'),
    controls: list(curatedControlUid('A control the policy supports'), 'Controls the policy evidences', {
      min: 1,
      max: 10,
    }),
  }),
  basePrompt: `You are drafting an AI acceptable use policy for the organisation and audience given.
Write clear, enforceable rules in plain language: the policy's scope; which AI tools are approved and how new
ones get approved; prohibited uses (at least: entering confidential or personal data into unapproved tools,
relying on AI output for decisions about people without human review, generating deceptive content, and any
EU AI Act Art. 5 practice); data handling rules by data class; what requires prior approval and from whom;
transparency towards customers; reporting of incidents and concerns; consequences of breaches; and the review
cycle. Include the organisation's own prohibited uses. Cite only controls from the allowed list.`,
  controls: ['ISO42001:A.2.2', 'ISO42001:A.2.3', 'ISO42001:A.9.2', 'NIST-AI-RMF:GOVERN 1.2', 'SOC2:CC5.3'],
  allowedTools: [],
  evalCases: [
    {
      name: 'names the organisation and has sections',
      input: { organisationName: 'Northwind Logistics', audience: 'all_staff', approvedTools: ['Copilot'] },
      assertions: [
        { type: 'contains', path: '/title', value: 'Northwind' },
        { type: 'schema', path: '/sections', schema: { type: 'array', minItems: 3 } },
      ],
    },
    {
      name: 'sets a review cycle within bounds',
      input: { organisationName: 'Contoso Bank', audience: 'engineering', jurisdictions: ['EU', 'UK'] },
      assertions: [
        { type: 'range', path: '/reviewCycleMonths', min: 3, max: 24 },
        { type: 'schema', path: '/controls', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'lists prohibited uses and data rules',
      input: {
        organisationName: 'Fabrikam Health',
        audience: 'customer_support',
        prohibitedUses: ['pasting patient records into chat tools'],
      },
      assertions: [
        { type: 'schema', path: '/prohibitedUses', schema: { type: 'array', minItems: 1 } },
        { type: 'schema', path: '/dataHandlingRules', schema: { type: 'array', minItems: 1 } },
      ],
    },
  ],
});
