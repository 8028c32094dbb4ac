import { defineSkill } from '../../skill.js';
import { choice, choices, confidence, flag, object, text } from '../schema-parts.js';

const categories = [
  'customer_support',
  'hr_recruitment',
  'marketing_sales',
  'software_engineering',
  'finance_accounting',
  'legal_compliance',
  'healthcare',
  'education',
  'security_operations',
  'research_analytics',
  'content_generation',
  'other',
] as const;

const techniques = [
  'text_generation',
  'classification',
  'retrieval_augmented',
  'agent_tool_use',
  'speech',
  'vision',
  'recommendation',
  'scoring',
] as const;

export const classifyUseCase = defineSkill({
  id: 'intake.classify_use_case',
  category: 'intake',
  title: 'Classify an AI use case',
  description:
    'Places a proposed AI use case in the inventory: business domain, how it is deployed, the AI techniques it uses, its autonomy and whether it affects individuals.',
  version: '1.0.0',
  inputSchema: object(
    {
      name: text('The use case as its owner calls it', 200),
      description: text('What the system does, for whom, with what data', 8_000),
      businessOwner: text('Who answers for the use case', 200),
      department: text('The owning department', 200),
    },
    ['businessOwner', 'department'],
  ),
  outputSchema: object({
    category: choice(categories, 'The business domain the use case serves'),
    deployment: choice(
      ['internal_tool', 'customer_facing', 'automated_decision', 'agentic_workflow'],
      'How the system is put in front of people or processes',
    ),
    techniques: choices(techniques, 'The AI techniques the system relies on', { min: 1, max: 8 }),
    autonomy: choice(
      ['human_in_the_loop', 'human_on_the_loop', 'fully_automated'],
      'Whether a person approves each output, supervises, or is absent',
    ),
    affectsIndividuals: flag('Whether outputs influence decisions about identifiable people'),
    rationale: text('Why this classification, citing the description', 1_500),
    confidence,
  }),
  basePrompt: `You are an AI governance analyst maintaining an organisation's AI system inventory.
Classify the use case described in the input. Choose the single business domain it mainly serves, how it is
deployed (an internal tool, something customers use directly, a system that makes or prepares decisions about
people, or an agent that acts through tools), the AI techniques it relies on, and its level of human oversight.
Mark affectsIndividuals true when outputs feed decisions about identifiable people (hiring, credit, access,
treatment, discipline). Base every choice on the description; when it is silent, pick the cautious reading
and say so in the rationale. Lower your confidence when the description is vague.`,
  controls: ['NIST-AI-RMF:MAP 1.1', 'NIST-AI-RMF:MAP 2.1', 'NIST-AI-RMF:GOVERN 1.6', 'ISO42001:A.9.4'],
  allowedTools: [],
  evalCases: [
    {
      name: 'a support chatbot is customer support',
      input: {
        name: 'Help-centre assistant',
        description:
          'A chatbot on our website answers customer support questions about orders and returns, drawing on help articles. Agents review escalated chats.',
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'customer_support' },
        { type: 'range', path: '/confidence', min: 0, max: 1 },
      ],
    },
    {
      name: 'CV screening is recruitment',
      input: {
        name: 'Applicant shortlister',
        description:
          'Ranks applications for open roles in hr recruitment by matching CVs against the job description; recruiters see the top twenty.',
        department: 'People',
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'hr_recruitment' },
        { type: 'schema', path: '/techniques', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'a coding assistant is software engineering',
      input: {
        name: 'Pull-request reviewer',
        description:
          'Suggests review comments on pull requests for our software engineering teams; developers accept or dismiss each one.',
      },
      assertions: [
        { type: 'equals', path: '/category', value: 'software_engineering' },
        { type: 'schema', path: '/rationale', schema: { type: 'string', minLength: 1 } },
      ],
    },
  ],
});
