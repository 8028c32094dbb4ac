import { inputSchema, str, type WorkflowTemplate } from './template.js';

/** A policy's gaps against one framework and its statements mapped to controls, side by side. */
export const policyGapCheck: WorkflowTemplate = {
  id: 'policy-gap-check',
  name: 'Policy gap check',
  description:
    'Finds where an AI policy falls short of a framework and maps each of its statements to the controls it meets.',
  category: 'policy',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema(
            {
              policyText: str,
              framework: { type: 'string', enum: ['eu_ai_act', 'iso_42001', 'nist_ai_rmf', 'gdpr', 'soc2'] },
            },
            ['policyText', 'framework'],
          ),
        },
      },
      {
        id: 'gaps',
        type: 'skill',
        config: {
          skill: 'policy.gap_analysis',
          input: { policyText: '$.input.policyText', framework: '$.input.framework' },
        },
      },
      {
        id: 'controls',
        type: 'skill',
        config: {
          skill: 'policy.map_controls',
          input: { policyText: '$.input.policyText', frameworks: ['$.input.framework'] },
        },
      },
    ],
    edges: [
      { from: 'start', to: 'gaps' },
      { from: 'start', to: 'controls' },
    ],
  },
  sampleInput: {
    policyText:
      'Staff may use approved AI assistants for drafting. Personal data must not be entered into tools without a data processing agreement. Every customer-facing AI system has a named owner and is reviewed yearly.',
    framework: 'iso_42001',
  },
};
