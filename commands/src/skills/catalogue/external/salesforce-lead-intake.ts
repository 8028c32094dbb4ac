import { defineSkill } from '../../skill.js';
import { choice, choices, object, text } from '../schema-parts.js';

export const salesforceLeadIntake = defineSkill({
  id: 'external.salesforce_lead_intake',
  category: 'external',
  title: 'Qualify an inbound Salesforce lead',
  description:
    'Qualifies an inbound lead: how ready it is, the use case it describes, AI-risk signals that need a compliance look before a demo, who should own it and the CRM fields to set. Reads the lead from its input until the Salesforce integration supplies it.',
  version: '1.0.0',
  inputSchema: object({
    lead: object(
      {
        company: text('The company', 200),
        contactTitle: text('The contact’s job title', 200),
        source: text('Where the lead came from', 200),
        country: text('The company’s country', 100),
        message: text('What the lead wrote', 8_000),
      },
      ['contactTitle', 'source', 'country'],
    ),
  }),
  outputSchema: object({
    qualification: choice(
      ['nurture', 'marketing_qualified', 'sales_qualified', 'disqualified'],
      'How ready the lead is',
    ),
    useCaseSummary: text('The need the lead describes, in a sentence or two, without personal data', 600),
    riskSignals: choices(
      ['high_risk_use_case', 'personal_data', 'regulated_sector', 'public_sector', 'minors'],
      'Signals that need a compliance look before a demo',
      { max: 5 },
    ),
    owner: choice(['sales', 'solutions_engineering', 'partnerships', 'compliance_review'], 'Who takes it'),
    industry: text('The industry, as a CRM picklist value', 100),
    nextStep: text('The next step to propose', 400),
  }),
  basePrompt: `You qualify inbound leads for a company selling AI governance software. From the lead's message,
judge readiness (sales-qualified: a concrete need, timing and authority; marketing-qualified: interest without
those; nurture: early research; disqualified: spam, students, competitors), summarise the use case, and flag
signals that need a compliance look before a demo: an EU AI Act high-risk use, personal data, a regulated or
public sector, minors. Route to compliance_review when such a signal is strong. Never copy the contact's
personal details into your answer; the CRM already holds them.`,
  controls: ['GDPR:Art.5', 'GDPR:Art.25', 'SOC2:P4.1', 'ISO42001:A.9.4'],
  allowedTools: ['salesforce.lead.read', 'salesforce.lead.update'],
  evalCases: [
    {
      name: 'a concrete buying need is sales qualified',
      input: {
        lead: {
          company: 'Globex Insurance',
          contactTitle: 'Head of Compliance',
          message:
            'We need audit trails for our claims LLM before the regulator visit in March; budget approved, looking for a sales qualified proposal this month.',
        },
      },
      assertions: [
        { type: 'equals', path: '/qualification', value: 'sales_qualified' },
        { type: 'schema', path: '/useCaseSummary', schema: { type: 'string', minLength: 1 } },
      ],
    },
    {
      name: 'a school use flags minors and public sector',
      input: {
        lead: {
          company: 'City School District',
          message: 'We are a public sector school district exploring AI tutoring for minors.',
        },
      },
      assertions: [
        { type: 'contains', path: '/riskSignals', value: 'minors' },
        { type: 'contains', path: '/riskSignals', value: 'public_sector' },
      ],
    },
    {
      name: 'research interest is nurtured',
      input: {
        lead: { company: 'Initech', message: 'Just reading up on AI governance, nothing planned yet.' },
      },
      assertions: [{ type: 'equals', path: '/qualification', value: 'nurture' }],
    },
  ],
});
