import { inputSchema, str, strList, type WorkflowTemplate } from './template.js';

/** A briefing for the role and a literacy module side by side, then a quiz on what the briefing says. */
export const trainingRollout: WorkflowTemplate = {
  id: 'training-rollout',
  name: 'AI literacy rollout for a role',
  description:
    'Writes a briefing for people in one role on the AI systems they oversee, a literacy module on a topic, and a quiz drawn from the briefing.',
  category: 'training',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema(
            {
              role: str,
              systems: { ...strList, minItems: 1 },
              topic: str,
              audience: {
                type: 'string',
                enum: ['all_staff', 'developers', 'managers', 'hr', 'customer_support', 'executives'],
              },
            },
            ['role', 'systems', 'topic', 'audience'],
          ),
        },
      },
      {
        id: 'briefing',
        type: 'skill',
        config: {
          skill: 'training.role_briefing',
          input: { role: '$.input.role', systems: '$.input.systems' },
        },
      },
      {
        id: 'module',
        type: 'skill',
        config: {
          skill: 'training.literacy_module',
          input: { topic: '$.input.topic', audience: '$.input.audience', durationMinutes: 20 },
        },
      },
      {
        id: 'quiz',
        type: 'skill',
        config: {
          skill: 'training.quiz',
          input: { topic: '$.input.topic', sourceText: '$.nodes.briefing.output.briefing', questionCount: 5 },
        },
      },
    ],
    edges: [
      { from: 'start', to: 'briefing' },
      { from: 'start', to: 'module' },
      { from: 'briefing', to: 'quiz' },
      { from: 'module', to: 'quiz' },
    ],
  },
  sampleInput: {
    role: 'Recruiter',
    systems: ['Candidate screening assistant'],
    topic: 'Human oversight of AI-assisted hiring decisions',
    audience: 'hr',
  },
};
