import { defineSkill } from '../../skill.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

export const quiz = defineSkill({
  id: 'training.quiz',
  category: 'training',
  title: 'Write a knowledge check quiz',
  description:
    'Writes a multiple-choice quiz on an AI governance topic (or on given training material), each question with four options, the correct one, and an explanation, plus a pass mark.',
  version: '1.0.0',
  inputSchema: object(
    {
      topic: text('What the quiz checks', 300),
      sourceText: text('Training material the questions must be based on', 30_000),
      questionCount: integer(3, 20, 'How many questions'),
      difficulty: choice(['easy', 'medium', 'hard'], 'How hard'),
    },
    ['sourceText', 'difficulty'],
  ),
  outputSchema: object({
    questions: list(
      object({
        question: text('The question', 500),
        options: list(text('An option', 300), 'Exactly four options', { min: 4, max: 4 }),
        correctOption: integer(0, 3, 'Index of the correct option'),
        explanation: text('Why it is correct, and why the others are not', 800),
      }),
      'The questions',
      { min: 3, max: 20 },
    ),
    passMarkPercent: integer(50, 100, 'Score needed to pass'),
  }),
  basePrompt: `You are writing a knowledge check for AI governance training. Write exactly the number of questions
asked, at the difficulty asked, each with four plausible options of which exactly one is correct, and an
explanation that teaches. When training material is given, base every question on it and nothing else. Test
understanding and judgement (what should you do when…) rather than recall of definitions. Vary the position of
the correct option. Set a pass mark suited to the difficulty.`,
  controls: ['EU-AI-ACT:Art.4', 'NIST-AI-RMF:GOVERN 2.2', 'SOC2:CC1.4'],
  allowedTools: [],
  evalCases: [
    {
      name: 'four options per question',
      input: { topic: 'Data handling in chat tools', questionCount: 3 },
      assertions: [
        {
          type: 'schema',
          path: '/questions',
          schema: {
            type: 'array',
            minItems: 3,
            items: { type: 'object', properties: { options: { type: 'array', minItems: 4, maxItems: 4 } } },
          },
        },
      ],
    },
    {
      name: 'the correct option is an index',
      input: { topic: 'EU AI Act risk tiers', questionCount: 5, difficulty: 'hard' },
      assertions: [
        { type: 'range', path: '/questions/0/correctOption', min: 0, max: 3 },
        { type: 'range', path: '/passMarkPercent', min: 50, max: 100 },
      ],
    },
    {
      name: 'explains answers',
      input: {
        topic: 'Reporting AI incidents',
        questionCount: 4,
        sourceText:
          'Report any AI incident to the incident channel within one hour. Preserve the conversation.',
      },
      assertions: [
        {
          type: 'schema',
          path: '/questions',
          schema: { type: 'array', items: { type: 'object', required: ['explanation'] } },
        },
      ],
    },
  ],
});
