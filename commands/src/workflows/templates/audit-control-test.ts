import { inputSchema, str, type WorkflowTemplate } from './template.js';

/** A control tested on a sample, and the result written up as a finding for management. */
export const auditControlTest: WorkflowTemplate = {
  id: 'audit-control-test',
  name: 'Control test and findings',
  description:
    "Tests one control against a sample of observations and turns the test's conclusion into a findings report for management.",
  category: 'audit',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema(
            {
              controlUid: str,
              controlDescription: str,
              testProcedure: str,
              sample: {
                type: 'array',
                minItems: 1,
                items: inputSchema({ id: str, observation: str }, ['id', 'observation']),
              },
            },
            ['controlUid', 'controlDescription', 'testProcedure', 'sample'],
          ),
        },
      },
      {
        id: 'test',
        type: 'skill',
        config: {
          skill: 'audit.control_test',
          input: {
            controlUid: '$.input.controlUid',
            controlDescription: '$.input.controlDescription',
            testProcedure: '$.input.testProcedure',
            sample: '$.input.sample',
          },
        },
      },
      {
        id: 'report',
        type: 'skill',
        config: {
          skill: 'audit.findings_report',
          input: {
            auditName: 'Control test',
            scope: '$.input.controlDescription',
            audience: 'management',
            findings: [
              {
                title: '$.input.controlUid',
                observation: '$.nodes.test.output.conclusion',
                controlUid: '$.input.controlUid',
              },
            ],
          },
        },
      },
    ],
    edges: [
      { from: 'start', to: 'test' },
      { from: 'test', to: 'report' },
    ],
  },
  sampleInput: {
    controlUid: 'NIST-AI-RMF:GOVERN 1.1',
    controlDescription:
      'Legal and regulatory requirements involving AI are understood, managed and documented.',
    testProcedure:
      'For each sampled AI system, check that its register entry cites the regulations that apply.',
    sample: [
      { id: 'sys-1', observation: 'Register entry cites the EU AI Act and GDPR.' },
      { id: 'sys-2', observation: 'Register entry has no regulatory section.' },
    ],
  },
};
