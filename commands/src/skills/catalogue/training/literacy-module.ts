import { defineSkill } from '../../skill.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

export const literacyModule = defineSkill({
  id: 'training.literacy_module',
  category: 'training',
  title: 'Write an AI literacy module',
  description:
    'Writes a short AI literacy training module for an audience (EU AI Act Art. 4): objectives, sections with key takeaways, and workplace scenarios showing good practice.',
  version: '1.0.0',
  inputSchema: object(
    {
      topic: text('What the module teaches', 300),
      audience: choice(
        ['all_staff', 'developers', 'managers', 'hr', 'customer_support', 'executives'],
        'Who takes it',
      ),
      durationMinutes: integer(5, 120, 'How long it should take'),
      level: choice(['introductory', 'intermediate', 'advanced'], 'Prior knowledge assumed'),
      organisationContext: text('Tools, policies and risks specific to the organisation', 4_000),
    },
    ['level', 'organisationContext'],
  ),
  outputSchema: object({
    title: text('The module title, naming its topic', 200),
    learningObjectives: list(text('An objective, starting with a verb', 300), 'What learners can do after', {
      min: 3,
      max: 6,
    }),
    sections: list(
      object({
        heading: text('Section heading', 150),
        content: text('The teaching text', 4_000),
        keyTakeaway: text('One sentence to remember', 300),
      }),
      'The module’s sections in order',
      { min: 2, max: 8 },
    ),
    scenarios: list(
      object({
        situation: text('A realistic workplace situation', 800),
        goodPractice: text('What to do, and why', 800),
      }),
      'Scenarios to discuss',
      { min: 1, max: 5 },
    ),
    estimatedMinutes: integer(5, 120, 'Expected duration'),
  }),
  basePrompt: `You are an instructional designer writing an AI literacy module, the kind of training EU AI Act
Art. 4 expects for staff who use or oversee AI. Fit the topic, audience, level and duration. Teach how the
relevant AI systems work and fail (hallucination, bias, prompt injection, data leakage), what the
organisation's rules require, and how to exercise judgement and human oversight. Write learning objectives
that start with a verb, keep sections short with one key takeaway each, and add realistic scenarios from the
audience's daily work with the good practice explained. Plain language, no hype.`,
  controls: ['EU-AI-ACT:Art.4', 'NIST-AI-RMF:GOVERN 2.2', 'ISO42001:A.4.6', 'SOC2:CC1.4'],
  allowedTools: [],
  evalCases: [
    {
      name: 'names the topic and sets objectives',
      input: {
        topic: 'Hallucinations and how to check AI answers',
        audience: 'all_staff',
        durationMinutes: 20,
      },
      assertions: [
        { type: 'contains', path: '/title', value: 'Hallucinations' },
        { type: 'schema', path: '/learningObjectives', schema: { type: 'array', minItems: 3, maxItems: 6 } },
      ],
    },
    {
      name: 'fits the duration bounds',
      input: { topic: 'Prompt injection for developers', audience: 'developers', durationMinutes: 45 },
      assertions: [
        { type: 'range', path: '/estimatedMinutes', min: 5, max: 120 },
        { type: 'schema', path: '/sections', schema: { type: 'array', minItems: 2 } },
      ],
    },
    {
      name: 'includes a scenario',
      input: {
        topic: 'Using AI in hiring decisions',
        audience: 'hr',
        durationMinutes: 30,
        level: 'intermediate',
      },
      assertions: [
        {
          type: 'schema',
          path: '/scenarios',
          schema: { type: 'array', minItems: 1, items: { type: 'object', required: ['goodPractice'] } },
        },
      ],
    },
  ],
});
