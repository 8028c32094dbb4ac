import { defineSkill } from '../../skill.js';
import { list, object, text } from '../schema-parts.js';

const items = (description: string, min: number, max: number) =>
  list(text(description, 400), description, { min, max });

export const roleBriefing = defineSkill({
  id: 'training.role_briefing',
  category: 'training',
  title: 'Brief a role on its AI duties',
  description:
    'Briefs a role on its duties around the AI systems it touches: what it oversees, do’s and don’ts, how to escalate, and which policies apply.',
  version: '1.0.0',
  inputSchema: object(
    {
      role: text('The role, e.g. claims handler or ML engineer', 200),
      systems: list(text('A system', 200), 'AI systems the role uses or oversees', { min: 1, max: 20 }),
      responsibilities: list(text('A responsibility', 400), 'What the role already does', { max: 20 }),
      organisation: text('The organisation and its AI policies', 4_000),
    },
    ['responsibilities', 'organisation'],
  ),
  outputSchema: object({
    briefing: text('The briefing, addressed to the role', 3_000),
    oversightDuties: items('What the role must check or approve', 1, 10),
    dos: items('Do', 3, 10),
    donts: items('Don’t', 3, 10),
    escalation: items('Escalation step, in order', 1, 6),
    relevantPolicies: items('A policy or standard that applies', 0, 10),
  }),
  basePrompt: `You are briefing a role on its responsibilities around the AI systems it touches. Address the role
directly. Explain what each system does and where it fails, the role's human oversight duties (what to check
before relying on an output, when to override, how to stop the system; EU AI Act Art. 14 and Art. 26 for
deployers), practical do's and don'ts, the escalation path in order, and the policies that apply. Keep it
specific to the role and systems given; skip generic advice.`,
  controls: [
    'NIST-AI-RMF:GOVERN 2.1',
    'NIST-AI-RMF:GOVERN 3.2',
    'ISO42001:A.3.2',
    'EU-AI-ACT:Art.14',
    'EU-AI-ACT:Art.26',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'addresses the role',
      input: { role: 'Claims handler', systems: ['claims triage model'] },
      assertions: [
        { type: 'contains', path: '/briefing', value: 'Claims handler' },
        { type: 'schema', path: '/dos', schema: { type: 'array', minItems: 3 } },
      ],
    },
    {
      name: 'gives an escalation path',
      input: { role: 'Support team lead', systems: ['support chatbot', 'reply drafter'] },
      assertions: [
        { type: 'schema', path: '/escalation', schema: { type: 'array', minItems: 1, maxItems: 6 } },
      ],
    },
    {
      name: 'lists don’ts and oversight duties',
      input: {
        role: 'ML engineer',
        systems: ['fraud scoring model'],
        responsibilities: ['retraining', 'deployment'],
      },
      assertions: [
        { type: 'schema', path: '/donts', schema: { type: 'array', minItems: 3 } },
        { type: 'schema', path: '/oversightDuties', schema: { type: 'array', minItems: 1 } },
      ],
    },
  ],
});
