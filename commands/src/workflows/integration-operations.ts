import type { JsonSchema } from './node-outputs.js';

/**
 * What an `integration` node does with the org's connection (docs/integrations.md#workflow-nodes): the
 * vendor before the dot is the connection's kind. Reads and writes are audited by field names; outputs
 * are kept outside the log (decisions/0052). Nothing sends mail: `gmail.draft_reply` only drafts.
 */
export const integrationOperations = [
  'salesforce.read_leads',
  'salesforce.update_lead',
  'gmail.read_new',
  'gmail.label',
  'gmail.draft_reply',
  'slack.post',
] as const;
export type IntegrationOperation = (typeof integrationOperations)[number];

/** The connection kind an operation needs. */
export const operationKind = (operation: IntegrationOperation) =>
  operation.slice(0, operation.indexOf('.')) as 'salesforce' | 'gmail' | 'slack';

const string = { type: 'string' };
const strings = { type: 'array', items: string };

/** Each operation's mapped `args` and its output, for the validator's mapping checks and the builder. */
export const integrationOperationSchemas: Record<
  IntegrationOperation,
  { args: JsonSchema; output: JsonSchema }
> = {
  'salesforce.read_leads': {
    args: {
      type: 'object',
      properties: { since: string, limit: { type: 'integer', minimum: 1, maximum: 200 } },
    },
    output: {
      type: 'object',
      properties: {
        leads: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              Id: string,
              Company: string,
              Title: string,
              LeadSource: string,
              Country: string,
              Description: string,
              LastModifiedDate: string,
            },
            required: ['Id', 'LastModifiedDate'],
          },
        },
        cursor: string,
      },
      required: ['leads', 'cursor'],
    },
  },
  'salesforce.update_lead': {
    args: {
      type: 'object',
      properties: {
        leadId: string,
        fields: { type: 'object', additionalProperties: string },
      },
      required: ['leadId', 'fields'],
    },
    output: {
      type: 'object',
      properties: { leadId: string, fields: strings },
      required: ['leadId', 'fields'],
    },
  },
  'gmail.read_new': {
    args: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } } },
    output: {
      type: 'object',
      properties: {
        messages: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: string, threadId: string, fromDomain: string, subject: string, body: string },
            required: ['id'],
          },
        },
        cursor: string,
      },
      required: ['messages', 'cursor'],
    },
  },
  'gmail.label': {
    args: {
      type: 'object',
      properties: { messageId: string, labels: strings },
      required: ['messageId', 'labels'],
    },
    output: {
      type: 'object',
      properties: { messageId: string, labels: strings },
      required: ['messageId', 'labels'],
    },
  },
  'gmail.draft_reply': {
    args: {
      type: 'object',
      properties: { messageId: string, body: string },
      required: ['messageId', 'body'],
    },
    output: {
      type: 'object',
      properties: { draftId: string, messageId: string },
      required: ['draftId', 'messageId'],
    },
  },
  'slack.post': {
    args: { type: 'object', properties: { text: string }, required: ['text'] },
    output: { type: 'object', properties: { ts: string }, required: ['ts'] },
  },
};
