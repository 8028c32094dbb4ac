import { inputSchema, str, type WorkflowTemplate } from './template.js';

/** A mail triaged; a data subject request raises an alert for compliance. */
export const externalInbox: WorkflowTemplate = {
  id: 'external-inbox',
  name: 'Privacy inbox triage',
  description:
    'Triages a message from the privacy inbox and alerts the compliance channel when it is a data subject request.',
  category: 'external',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema({ fromDomain: str, subject: str, body: str }, [
            'fromDomain',
            'subject',
            'body',
          ]),
        },
      },
      {
        id: 'triage',
        type: 'skill',
        config: {
          skill: 'external.gmail_triage',
          input: {
            message: { fromDomain: '$.input.fromDomain', subject: '$.input.subject', body: '$.input.body' },
            mailbox: 'privacy',
          },
        },
      },
      {
        id: 'is_request',
        type: 'condition',
        config: { value: '$.nodes.triage.output.dataSubjectRight', op: 'not_equals', compareTo: 'none' },
      },
      {
        id: 'alert',
        type: 'skill',
        config: {
          skill: 'external.slack_alert',
          input: {
            event: {
              type: 'data_subject_request',
              source: 'privacy inbox',
              summary: '$.input.subject',
              details: '$.nodes.triage.output.dataSubjectRight',
            },
            audience: 'compliance',
          },
        },
      },
    ],
    edges: [
      { from: 'start', to: 'triage' },
      { from: 'triage', to: 'is_request' },
      { from: 'is_request', to: 'alert', when: 'true' },
    ],
  },
  sampleInput: {
    fromDomain: 'example.org',
    subject: 'Please delete my data',
    body: 'Hello, I closed my account last month. Please erase all personal data you hold about me.',
  },
};
