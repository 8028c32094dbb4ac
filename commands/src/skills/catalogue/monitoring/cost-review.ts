import { defineSkill } from '../../skill.js';
import { choice, list, number, object, text } from '../schema-parts.js';

const usd = (description: string) => number(description, { min: 0 });

export const costReview = defineSkill({
  id: 'monitoring.cost_review',
  category: 'monitoring',
  title: 'Review AI spend for a period',
  description:
    'Reviews an organisation’s AI spend against its budget: status, what drives the cost, anomalies, savings opportunities with estimates, and a note on the forecast.',
  version: '1.0.0',
  inputSchema: object(
    {
      period: text('The period reviewed, e.g. 2026-10', 100),
      budgetUsd: usd('The budget for the period'),
      spendUsd: usd('What was spent'),
      byModel: list(
        object({
          model: text('provider/model', 200),
          spendUsd: usd('Spend on it'),
          calls: { type: 'integer', minimum: 0, description: 'Calls made' },
        }),
        'Spend per model',
        { min: 1, max: 50 },
      ),
      byTeam: list(object({ team: text('Team', 200), spendUsd: usd('Spend') }), 'Spend per team', {
        max: 50,
      }),
      notes: text('Context: launches, alerts raised, finance comments', 4_000),
    },
    ['byTeam', 'notes'],
  ),
  outputSchema: object({
    status: choice(['within_budget', 'at_risk', 'over_budget'], 'Spend against budget'),
    utilisationPercent: number('Spend as a percentage of the budget', { min: 0 }),
    topDrivers: list(text('A driver', 300), 'What drives the cost, largest first', { min: 1, max: 5 }),
    anomalies: list(
      object({
        description: text('What is unusual', 400),
        severity: choice(['low', 'medium', 'high'], 'How much'),
      }),
      'Unusual patterns worth a look',
      { max: 8 },
    ),
    savings: list(
      object({
        action: text('What to change', 400),
        estimatedMonthlySavingsUsd: usd('Estimated saving per month'),
      }),
      'Savings opportunities, largest first',
      { max: 8 },
    ),
    forecastNote: text('Where spend is heading and what would change it', 800),
  }),
  basePrompt: `You are a FinOps analyst reviewing AI spend for the period. Compare spend with budget (utilisation
as a percentage; at_risk from 80 %), identify the drivers by model and team, and point out anomalies such as a
model whose cost per call is out of line, sudden growth, or spend on models outside the approved list. Propose
savings with rough monthly estimates (routing simple tasks to cheaper models, caching, prompt trimming, batch
APIs, output limits) and note where spend is heading. Use only the figures given; show your arithmetic in the
drivers where it helps.`,
  controls: ['NIST-AI-RMF:MANAGE 2.1', 'NIST-AI-RMF:MANAGE 2.2', 'ISO42001:A.4.5', 'SOC2:A1.1'],
  allowedTools: [],
  evalCases: [
    {
      name: 'spend above budget is over budget',
      input: {
        period: '2026-10',
        budgetUsd: 10000,
        spendUsd: 12500,
        byModel: [{ model: 'openai/gpt-4o', spendUsd: 11000, calls: 900000 }],
        notes: 'Finance flagged the month as over budget after a launch.',
      },
      assertions: [
        { type: 'equals', path: '/status', value: 'over_budget' },
        { type: 'range', path: '/utilisationPercent', min: 0 },
      ],
    },
    {
      name: 'names at least one driver',
      input: {
        period: '2026-09',
        budgetUsd: 5000,
        spendUsd: 1200,
        byModel: [
          { model: 'anthropic/claude-sonnet-4', spendUsd: 900, calls: 20000 },
          { model: 'openai/gpt-4o-mini', spendUsd: 300, calls: 150000 },
        ],
      },
      assertions: [
        { type: 'schema', path: '/topDrivers', schema: { type: 'array', minItems: 1, maxItems: 5 } },
        { type: 'equals', path: '/status', value: 'within_budget' },
      ],
    },
    {
      name: 'savings carry non-negative estimates',
      input: {
        period: 'Q3',
        budgetUsd: 30000,
        spendUsd: 27000,
        byModel: [{ model: 'openai/gpt-4o', spendUsd: 27000, calls: 2000000 }],
        byTeam: [{ team: 'support', spendUsd: 20000 }],
      },
      assertions: [
        {
          type: 'schema',
          path: '/savings',
          schema: {
            type: 'array',
            items: {
              type: 'object',
              properties: { estimatedMonthlySavingsUsd: { type: 'number', minimum: 0 } },
            },
          },
        },
      ],
    },
  ],
});
