import { defineSkill } from '../../skill.js';
import { choice, choices, flag, list, object, text } from '../schema-parts.js';

export const slackAlert = defineSkill({
  id: 'external.slack_alert',
  category: 'external',
  title: 'Write a Slack alert for a governance event',
  description:
    'Turns a governance event (a blocked call, a budget alert, an incident, a failed run) into a Slack message for its audience: headline, body in Slack markdown, severity, who to mention and the actions asked for. Returns the message until the Slack integration posts it.',
  version: '1.0.0',
  inputSchema: object(
    {
      event: object(
        {
          type: text('The event type, e.g. cp.budget.alert.raised', 200),
          source: text('The system or run that raised it', 200),
          summary: text('What happened', 4_000),
          details: text('Figures, ids and links', 8_000),
        },
        ['details'],
      ),
      audience: choice(['engineering', 'compliance', 'leadership'], 'The channel’s audience'),
    },
    ['audience'],
  ),
  outputSchema: object({
    headline: text('One line, the most important fact first', 150),
    message: text('The body in Slack mrkdwn, a few short lines', 3_000),
    severity: choice(['info', 'warning', 'critical'], 'How loud the alert is'),
    mention: choices(['oncall', 'security', 'compliance', 'dpo', 'leadership'], 'Groups to mention', {
      max: 5,
    }),
    actions: list(text('An action', 300), 'What readers are asked to do', { max: 5 }),
    containsPersonalData: flag('Whether the message would expose personal data (it should not)'),
  }),
  basePrompt: `You write Slack alerts for governance events. Lead with the fact that matters, keep the body to a
few short lines in Slack mrkdwn, include the ids and figures a responder needs, and ask for concrete actions.
Match severity to impact (critical: harm or exposure now; warning: needs action today; info: for awareness)
and mention only the groups who must act. Leave personal data and secrets out of the message; refer to them by
id instead.`,
  controls: ['ISO42001:A.8.4', 'NIST-AI-RMF:MANAGE 4.3', 'SOC2:CC2.2', 'SOC2:CC7.3'],
  allowedTools: ['slack.chat.postMessage'],
  evalCases: [
    {
      name: 'a budget warning is a warning',
      input: {
        event: {
          type: 'cp.budget.alert.raised',
          source: 'gateway',
          summary: 'Monthly AI spend crossed 80 % of the cap; a warning for finance and engineering.',
        },
        audience: 'engineering',
      },
      assertions: [
        { type: 'equals', path: '/severity', value: 'warning' },
        { type: 'schema', path: '/headline', schema: { type: 'string', maxLength: 150 } },
      ],
    },
    {
      name: 'a data exposure is critical and mentions the DPO',
      input: {
        event: {
          type: 'incident',
          source: 'support bot',
          summary: 'Critical: the bot exposed customer addresses; dpo and security must act.',
        },
        audience: 'compliance',
      },
      assertions: [
        { type: 'equals', path: '/severity', value: 'critical' },
        { type: 'contains', path: '/mention', value: 'dpo' },
      ],
    },
    {
      name: 'bounds the actions',
      input: {
        event: {
          type: 'cp.run.completed',
          source: 'nightly triage workflow',
          summary: 'The run failed at step 3.',
        },
      },
      assertions: [{ type: 'schema', path: '/actions', schema: { type: 'array', maxItems: 5 } }],
    },
  ],
});
