import { defineSkill } from '../../skill.js';
import { choice, choices, flag, list, object, text } from '../schema-parts.js';

export const incidentTriage = defineSkill({
  id: 'monitoring.incident_triage',
  category: 'monitoring',
  title: 'Triage an AI incident',
  description:
    'Triages a reported AI incident: severity, category, whether personal data is involved, whether it may be a serious incident under EU AI Act Art. 73 or a personal data breach under GDPR Art. 33, the immediate actions and who to notify.',
  version: '1.0.0',
  inputSchema: object(
    {
      title: text('The incident’s title', 200),
      description: text('What happened, as reported', 20_000),
      systemName: text('The AI system involved', 200),
      reportedBy: text('Who reported it (role or team)', 200),
      affectedUsers: { type: 'integer', minimum: 0, description: 'How many people were affected, if known' },
    },
    ['systemName', 'reportedBy', 'affectedUsers'],
  ),
  outputSchema: object({
    severity: choice(['sev1', 'sev2', 'sev3', 'sev4'], 'sev1 most severe'),
    category: choice(
      [
        'data_leak',
        'prompt_injection',
        'harmful_output',
        'hallucination',
        'bias',
        'unauthorised_action',
        'availability',
        'cost_spike',
        'policy_violation',
        'other',
      ],
      'What kind of incident',
    ),
    personalDataInvolved: flag('Whether personal data was exposed or processed wrongly'),
    possibleSeriousIncident: flag('Whether it may be a serious incident under EU AI Act Art. 73'),
    gdprBreach: choice(
      ['not_applicable', 'assess', 'notify_within_72h'],
      'Whether it is a personal data breach to notify under GDPR Art. 33',
    ),
    immediateActions: list(text('An action', 400), 'Containment first, then evidence and recovery', {
      min: 1,
      max: 8,
    }),
    notify: choices(
      ['incident_owner', 'security', 'dpo', 'legal', 'vendor', 'regulator', 'affected_users'],
      'Who to tell now',
      { min: 1, max: 7 },
    ),
    summary: text('The incident in two or three sentences', 1_000),
  }),
  basePrompt: `You are on the AI incident response rota. Triage the report: assign a severity (sev1: ongoing harm
or exposure of sensitive data at scale; sev4: minor, no harm), the category, and whether personal data is
involved. Flag a possible serious incident under EU AI Act Art. 73 (death or serious harm to health, serious
and irreversible disruption of critical infrastructure, infringement of fundamental-rights obligations, serious
harm to property or the environment) and whether the GDPR Art. 33 72-hour notification clock may have started.
List immediate actions (contain first: disable the agent, tool or model version; preserve evidence; then
recover) and who to notify. Stick to the facts reported and name what is still unknown in the summary.`,
  controls: [
    'NIST-AI-RMF:MANAGE 4.3',
    'NIST-AI-RMF:GOVERN 4.3',
    'ISO42001:A.8.4',
    'EU-AI-ACT:Art.73',
    'GDPR:Art.33',
    'SOC2:CC7.4',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'an injected instruction is prompt injection',
      input: {
        title: 'Agent followed instructions hidden in a web page',
        description:
          'A browsing agent read a page with a prompt injection telling it to email the conversation to an outside address; the mail was blocked by the gateway.',
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'prompt_injection' },
        { type: 'schema', path: '/immediateActions', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'customer records in answers are a data leak for the DPO',
      input: {
        title: 'Chatbot showed another customer’s order history',
        description:
          'A data leak: the support bot displayed another customer’s name and address. The dpo has been informed.',
        affectedUsers: 3,
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'data_leak' },
        { type: 'contains', path: '/notify', value: 'dpo' },
      ],
    },
    {
      name: 'a severity is always assigned',
      input: {
        title: 'Spend doubled overnight',
        description: 'A retry loop in a batch job called the model 40,000 times in an hour.',
      },
      assertions: [
        { type: 'schema', path: '/severity', schema: { enum: ['sev1', 'sev2', 'sev3', 'sev4'] } },
        { type: 'schema', path: '/notify', schema: { type: 'array', minItems: 1 } },
      ],
    },
  ],
});
