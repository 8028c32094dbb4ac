import { defineSkill } from '../../skill.js';
import { choice, flag, list, number, object, text } from '../schema-parts.js';

const measurement = object(
  {
    period: text('The period measured, e.g. 2026-10', 100),
    value: number('The metric’s value'),
    sampleSize: { type: 'integer', minimum: 0, description: 'How many observations it rests on' },
  },
  ['sampleSize'],
);

export const driftReview = defineSkill({
  id: 'monitoring.drift_review',
  category: 'monitoring',
  title: 'Review a metric for drift',
  description:
    'Compares a production metric of an AI system with its baseline: whether it drifted, how much and in which direction, likely causes, whether the system must be re-evaluated, and what to do.',
  version: '1.0.0',
  inputSchema: object(
    {
      systemName: text('The AI system', 200),
      metric: text('What is measured, and whether higher is better', 300),
      baseline: measurement,
      current: measurement,
      tolerance: number('The relative change the owner tolerates, e.g. 0.05 for 5 %', { min: 0, max: 10 }),
      notes: text('Context: releases, data changes, vendor model updates, runbook rules', 4_000),
    },
    ['tolerance', 'notes'],
  ),
  outputSchema: object({
    driftDetected: flag('Whether the change exceeds the tolerance (5 % when none is given)'),
    relativeChange: number('(current − baseline) / |baseline|'),
    direction: choice(['flat', 'up', 'down'], 'Which way the metric moved'),
    severity: choice(['none', 'low', 'medium', 'high'], 'How much the drift matters'),
    likelyCauses: list(text('A cause', 400), 'Plausible causes, most likely first', { max: 8 }),
    actions: list(text('An action', 400), 'What to do next, with owners', { min: 1, max: 8 }),
    reevaluationRequired: flag('Whether the system must be re-evaluated before it keeps running as is'),
    summary: text('The finding in two or three sentences', 1_000),
  }),
  basePrompt: `You are monitoring an AI system in production. Compare the current measurement of the metric with
the baseline. Compute the relative change as (current - baseline) / |baseline|, note the direction, and
decide whether it exceeds the owner's tolerance (5 % when none is given), taking sample sizes into account: a
change on a small sample is weaker evidence. Rate the severity considering whether higher is better for this
metric and any rule stated in the notes. List plausible causes (data shifts, releases, vendor model updates,
seasonality), concrete next actions with owners, and whether the system must be re-evaluated.`,
  controls: [
    'NIST-AI-RMF:MEASURE 2.4',
    'NIST-AI-RMF:MEASURE 4.3',
    'NIST-AI-RMF:MANAGE 4.1',
    'ISO42001:A.6.2.6',
    'EU-AI-ACT:Art.72',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'a sharp accuracy drop is high severity',
      input: {
        systemName: 'Ticket router',
        metric: 'routing accuracy (higher is better)',
        baseline: { period: '2026-09', value: 0.92, sampleSize: 5000 },
        current: { period: '2026-10', value: 0.71, sampleSize: 4800 },
        notes: 'Runbook: a drop above 10 % is high severity and triggers re-evaluation.',
      },
      assertions: [
        { type: 'equals', path: '/severity', value: 'high' },
        { type: 'schema', path: '/actions', schema: { type: 'array', minItems: 1 } },
      ],
    },
    {
      name: 'a stable metric reports no severity',
      input: {
        systemName: 'Invoice extractor',
        metric: 'field-level F1',
        baseline: { period: 'Q2', value: 0.88 },
        current: { period: 'Q3', value: 0.88 },
        notes: 'No releases this quarter; severity none expected when flat.',
      },
      assertions: [
        { type: 'equals', path: '/severity', value: 'none' },
        { type: 'equals', path: '/direction', value: 'flat' },
      ],
    },
    {
      name: 'the relative change is a number',
      input: {
        systemName: 'Search ranker',
        metric: 'click-through rate',
        baseline: { period: 'week 40', value: 0.12 },
        current: { period: 'week 41', value: 0.13 },
        tolerance: 0.2,
      },
      assertions: [
        { type: 'range', path: '/relativeChange', min: -1, max: 1 },
        { type: 'schema', path: '/summary', schema: { type: 'string', minLength: 1 } },
      ],
    },
  ],
});
