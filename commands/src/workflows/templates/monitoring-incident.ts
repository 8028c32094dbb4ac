import { inputSchema, str, type WorkflowTemplate } from './template.js';

/** Triage first; a possibly serious incident goes to a person before anything else happens. */
export const monitoringIncident: WorkflowTemplate = {
  id: 'monitoring-incident',
  name: 'AI incident triage',
  description:
    'Triages a reported AI incident and, when it may be a serious incident under the EU AI Act, escalates it to the incident owner for a decision.',
  category: 'monitoring',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema(
            { title: str, description: str, systemName: str, affectedUsers: { type: 'integer', minimum: 0 } },
            ['title', 'description'],
          ),
        },
      },
      {
        id: 'triage',
        type: 'skill',
        config: {
          skill: 'monitoring.incident_triage',
          input: {
            title: '$.input.title',
            description: '$.input.description',
            systemName: '$.input.systemName',
            affectedUsers: '$.input.affectedUsers',
          },
          timeoutMs: 120_000,
        },
      },
      {
        id: 'serious',
        type: 'condition',
        config: { value: '$.nodes.triage.output.possibleSeriousIncident', op: 'truthy' },
      },
      {
        id: 'escalate',
        type: 'hitl',
        config: {
          summary: {
            incident: '$.input.title',
            severity: '$.nodes.triage.output.severity',
            summary: '$.nodes.triage.output.summary',
            immediateActions: '$.nodes.triage.output.immediateActions',
          },
          timeoutSeconds: 4 * 3_600,
          risk: 'high',
        },
      },
    ],
    edges: [
      { from: 'start', to: 'triage' },
      { from: 'triage', to: 'serious' },
      { from: 'serious', to: 'escalate', when: 'true' },
    ],
  },
  sampleInput: {
    title: 'Support bot quoted another customer’s order',
    description:
      'A customer reports that the help-centre assistant answered with the delivery address and order number of a different customer.',
    systemName: 'Help-centre assistant',
    affectedUsers: 2,
  },
};
