import { defineSkill } from '../../skill.js';
import { anyControlUid } from '../control-sets.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

const severity = ['critical', 'high', 'medium', 'low'] as const;

export const findingsReport = defineSkill({
  id: 'audit.findings_report',
  category: 'audit',
  title: 'Write an audit findings report',
  description:
    'Turns raw audit findings into a report for its audience: an executive summary, each finding with severity, root cause, recommendation, owner and due date, an overall rating and the themes across findings.',
  version: '1.0.0',
  inputSchema: object(
    {
      auditName: text('The audit', 200),
      scope: text('What the audit covered', 2_000),
      audience: choice(['board', 'management', 'auditors'], 'Who reads the report'),
      findings: list(
        object(
          {
            title: text('Finding', 200),
            observation: text('What was observed', 4_000),
            controlUid: anyControlUid('The control concerned'),
            severity: choice(severity, 'The auditor’s rating, if given'),
          },
          ['controlUid', 'severity'],
        ),
        'The findings',
        { min: 1, max: 50 },
      ),
    },
    ['audience'],
  ),
  outputSchema: object({
    executiveSummary: text('What the reader must know, in a paragraph', 2_000),
    overallRating: choice(
      ['satisfactory', 'needs_improvement', 'unsatisfactory'],
      'The audit’s overall rating',
    ),
    findings: list(
      object({
        title: text('Finding', 200),
        severity: choice(severity, 'Severity'),
        rootCause: text('Why it happened', 800),
        recommendation: text('What to do', 800),
        owner: text('The accountable role', 150),
        dueInDays: integer(7, 180, 'Days to remediate'),
      }),
      'Findings, most severe first',
      { min: 1, max: 50 },
    ),
    themes: list(text('A theme', 300), 'Patterns across findings', { max: 6 }),
  }),
  basePrompt: `You are writing an audit report on AI governance for the audience given. Keep every finding given:
rate its severity (keep the auditor's rating unless the observation clearly contradicts it), state the root
cause rather than the symptom, recommend a specific fix, name an accountable role, and set a due date in days
in proportion to severity. Give an overall rating and an executive summary the audience can act on (boards
want risk and accountability, management wants actions, auditors want precision). Group recurring causes as
themes. Do not add findings that are not in the input.`,
  controls: ['SOC2:CC4.2', 'SOC2:CC2.2', 'NIST-AI-RMF:GOVERN 1.4', 'NIST-AI-RMF:GOVERN 2.3'],
  allowedTools: [],
  evalCases: [
    {
      name: 'keeps at least one finding with a due date',
      input: {
        auditName: 'AI governance audit 2026',
        scope: 'LLM gateway and agent tooling',
        findings: [{ title: 'No review of prompts', observation: 'Prompt changes ship without review.' }],
      },
      assertions: [
        { type: 'schema', path: '/findings', schema: { type: 'array', minItems: 1 } },
        { type: 'range', path: '/findings/0/dueInDays', min: 7, max: 180 },
      ],
    },
    {
      name: 'keeps the auditor’s critical rating',
      input: {
        auditName: 'Vendor audit',
        scope: 'Model providers',
        findings: [
          {
            title: 'Provider trains on prompts',
            observation: 'Contract allows training on customer prompts.',
            severity: 'critical',
          },
        ],
      },
      assertions: [{ type: 'equals', path: '/findings/0/severity', value: 'critical' }],
    },
    {
      name: 'rates the audit',
      input: {
        auditName: 'Access review',
        scope: 'API keys',
        audience: 'board',
        findings: [{ title: 'Stale keys', observation: 'Twelve keys unused for a year.' }],
      },
      assertions: [
        {
          type: 'schema',
          path: '/overallRating',
          schema: { enum: ['satisfactory', 'needs_improvement', 'unsatisfactory'] },
        },
        { type: 'schema', path: '/executiveSummary', schema: { type: 'string', minLength: 1 } },
      ],
    },
  ],
});
