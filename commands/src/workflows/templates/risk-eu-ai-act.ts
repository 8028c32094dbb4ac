import { inputSchema, str, strList, type WorkflowTemplate } from './template.js';

/** The EU AI Act tier first; an impact assessment only for high-risk or prohibited systems. */
export const riskEuAiAct: WorkflowTemplate = {
  id: 'risk-eu-ai-act',
  name: 'EU AI Act risk triage',
  description:
    'Places a system in its EU AI Act tier, registers its risks, and runs an impact assessment when the tier is high or prohibited.',
  category: 'risk',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema(
            { systemName: str, description: str, usedInEu: { type: 'boolean' }, knownIssues: strList },
            ['systemName', 'description'],
          ),
        },
      },
      {
        id: 'tier',
        type: 'skill',
        config: {
          skill: 'risk.eu_ai_act_tier',
          input: {
            systemName: '$.input.systemName',
            description: '$.input.description',
            usedInEu: '$.input.usedInEu',
          },
        },
      },
      {
        id: 'register',
        type: 'skill',
        config: {
          skill: 'risk.register_risks',
          input: {
            systemName: '$.input.systemName',
            description: '$.input.description',
            knownIssues: '$.input.knownIssues',
          },
        },
      },
      {
        id: 'high_risk',
        type: 'condition',
        config: { value: '$.nodes.tier.output.tier', op: 'in', compareTo: ['high', 'prohibited'] },
      },
      {
        id: 'impact',
        type: 'skill',
        config: {
          skill: 'risk.impact_assessment',
          input: { systemName: '$.input.systemName', description: '$.input.description' },
        },
      },
    ],
    edges: [
      { from: 'start', to: 'tier' },
      { from: 'start', to: 'register' },
      { from: 'tier', to: 'high_risk' },
      { from: 'high_risk', to: 'impact', when: 'true' },
    ],
  },
  sampleInput: {
    systemName: 'Credit limit advisor',
    description:
      'Suggests credit card limits for new retail customers in the EU from their income, existing debt and repayment history; an analyst confirms each limit.',
    usedInEu: true,
    knownIssues: ['Thin-file applicants get conservative limits'],
  },
};
