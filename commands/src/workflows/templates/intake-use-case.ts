import { inputSchema, str, type WorkflowTemplate } from './template.js';

/** Four skills and a person: classification and data categories side by side, then a summary. */
export const intakeUseCase: WorkflowTemplate = {
  id: 'intake-use-case',
  name: 'AI use case intake',
  description:
    'Classifies a proposed AI use case and the personal data it touches, summarises it for the register, and asks the privacy team to review when a DPIA is recommended.',
  category: 'intake',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema({ name: str, description: str, businessOwner: str }, [
            'name',
            'description',
          ]),
        },
      },
      {
        id: 'classify',
        type: 'skill',
        config: {
          skill: 'intake.classify_use_case',
          input: {
            name: '$.input.name',
            description: '$.input.description',
            businessOwner: '$.input.businessOwner',
          },
        },
      },
      {
        id: 'data',
        type: 'skill',
        config: {
          skill: 'intake.identify_data_categories',
          input: { name: '$.input.name', description: '$.input.description' },
        },
      },
      {
        id: 'summary',
        type: 'skill',
        config: {
          skill: 'intake.summarize_use_case',
          input: { name: '$.input.name', description: '$.input.description' },
          retry: { maxAttempts: 2, backoffMs: 1_000 },
        },
      },
      {
        id: 'needs_dpia',
        type: 'condition',
        config: { value: '$.nodes.data.output.dpiaRecommended', op: 'equals', compareTo: true },
      },
      {
        id: 'privacy_review',
        type: 'hitl',
        config: {
          summary: {
            useCase: '$.input.name',
            summary: '$.nodes.summary.output.summary',
            domain: '$.nodes.classify.output.category',
            dataCategories: '$.nodes.data.output.categories',
          },
          timeoutSeconds: 3 * 86_400,
          risk: 'medium',
        },
      },
    ],
    edges: [
      { from: 'start', to: 'classify' },
      { from: 'start', to: 'data' },
      { from: 'classify', to: 'summary' },
      { from: 'data', to: 'summary' },
      { from: 'summary', to: 'needs_dpia' },
      { from: 'needs_dpia', to: 'privacy_review', when: 'true' },
    ],
  },
  sampleInput: {
    name: 'Candidate screening assistant',
    description:
      'A model ranks job applications for recruiters using CVs and cover letters; recruiters see the top twenty and decide whom to interview.',
    businessOwner: 'Head of Talent',
  },
};
