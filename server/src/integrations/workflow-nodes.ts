import type { gmail_v1 } from '@googleapis/gmail';
import {
  accessFact,
  type IntegrationAccessFact,
  type IntegrationCredentials,
  type IntegrationOperation,
  type StepResult,
} from '@proofpane/commands';
import { z } from 'zod';
import { GoogleFailure, gmailApi } from './gmail-oauth.js';
import { gmailCall, gmailDomainOf, gmailFacts, gmailHeader, gmailPlainText } from './gmail-triage.js';
import { salesforceConnection } from './salesforce.js';
import { CURSOR, LEAD_CURSOR_START, LEAD_FIELDS, type Lead, soqlDateTime } from './salesforce-lead-intake.js';
import type { IntegrationSettings } from './settings.js';
import { deliverSlackMessage } from './slack-delivery.js';

/** What an integration node needs of the service: the connection as it stands, and where facts go. */
export interface IntegrationNodePorts {
  settings: IntegrationSettings;
  connectionId: string;
  credentials: IntegrationCredentials;
  /** The connection's settings (identifiers only). */
  connection: Record<string, string>;
  audit(facts: IntegrationAccessFact[]): Promise<void>;
  refreshed(credentials: IntegrationCredentials): Promise<void>;
  readCursor(): Promise<string | undefined>;
  writeCursor(cursor: string): Promise<void>;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const noNul = (s: string) => !s.includes('\0');
const LEAD_ID = /^[A-Za-z0-9]{15,18}$/;
const MESSAGE_ID = /^[A-Za-z0-9]{1,64}$/;

const argSchemas = {
  'salesforce.read_leads': z.strictObject({
    since: z.string().regex(CURSOR, 'a Salesforce datetime such as 2026-01-01T00:00:00Z').optional(),
    limit: z.number().int().min(1).max(200).optional(),
  }),
  'salesforce.update_lead': z.strictObject({
    leadId: z.string().regex(LEAD_ID, 'a Salesforce Lead id (15 or 18 letters and digits)'),
    fields: z
      .record(
        z.string().regex(NAME, 'a field API name such as Rating or Qualification__c'),
        z.string().max(10_000),
      )
      .refine((f) => Object.keys(f).length >= 1 && Object.keys(f).length <= 20, '1 to 20 fields')
      .refine((f) => !('Id' in f) && Object.values(f).every(noNul), 'no Id field and no NUL in a value'),
  }),
  'gmail.read_new': z.strictObject({ limit: z.number().int().min(1).max(100).optional() }),
  'gmail.label': z.strictObject({
    messageId: z.string().regex(MESSAGE_ID, 'a Gmail message id'),
    labels: z
      .array(z.string().regex(/^[A-Za-z0-9 _-]{1,40}$/, 'letters, digits, space, _ and -; 40 at most'))
      .min(1)
      .max(5),
  }),
  'gmail.draft_reply': z.strictObject({
    messageId: z.string().regex(MESSAGE_ID, 'a Gmail message id'),
    body: z.string().min(1).max(30_000).refine(noNul, 'must not contain NUL'),
  }),
  'slack.post': z.strictObject({
    text: z.string().min(1).max(3_000).refine(noNul, 'must not contain NUL'),
  }),
} as const satisfies Record<IntegrationOperation, z.ZodType>;

const invalid = (message: string): StepResult => ({
  status: 'failed',
  code: 'invalid_arguments',
  message,
  retryable: false,
});

/** Parses a node's mapped arguments for its operation, or the step's failure naming what to fix. */
export function integrationNodeArgs<T extends IntegrationOperation>(
  operation: T,
  args: unknown,
): { args: z.output<(typeof argSchemas)[T]> } | { failed: StepResult } {
  const parsed = argSchemas[operation].safeParse(args);
  if (parsed.success) return { args: parsed.data as z.output<(typeof argSchemas)[T]> };
  const issue = parsed.error.issues[0];
  return {
    failed: invalid(`${operation}: ${issue?.path.join('.') || 'args'}: ${issue?.message ?? 'invalid'}`),
  };
}

/** `Proofpane/<name>`, as the triage labels mail, so a workflow's labels sit beside the triage's. */
const LABEL_PREFIX = 'Proofpane';

/**
 * Runs one integration node (decisions/0052): the org's connection, the vendor's maintained client,
 * each read and write audited by field names. The output is handed back to be kept outside the log.
 * `salesforce.update_lead` asks a person first when the connection was made with `approveWrites`.
 */
export async function runIntegrationNode(input: {
  operation: IntegrationOperation;
  args: unknown;
  approved: boolean;
  ports: IntegrationNodePorts;
}): Promise<StepResult> {
  const { operation, ports } = input;
  const { connectionId, settings } = ports;
  const kept = (output: unknown, fields: string[]): StepResult => ({
    status: 'completed',
    output,
    keep: { fields },
  });
  switch (operation) {
    case 'salesforce.read_leads': {
      const parsed = integrationNodeArgs(operation, input.args);
      if ('failed' in parsed) return parsed.failed;
      const { conn, vendorError } = salesforceConnection({
        settings,
        credentials: ports.credentials,
        refreshed: (credentials) => ports.refreshed(credentials),
      });
      const since = parsed.args.since ?? (await ports.readCursor()) ?? LEAD_CURSOR_START;
      const soql = `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead WHERE LastModifiedDate > ${soqlDateTime(
        since,
      )} ORDER BY LastModifiedDate ASC LIMIT ${parsed.args.limit ?? 50}`;
      let leads: Lead[];
      try {
        const res = await conn.query<Lead>(soql);
        if (!Array.isArray(res.records))
          throw Object.assign(new Error('malformed'), { name: 'malformed_response' });
        // Only the fields read, a missing text as '' (mapped into a skill's input, null would not fit).
        leads = res.records.map(
          (l) => Object.fromEntries(LEAD_FIELDS.map((f) => [f, l[f as keyof Lead] ?? ''])) as unknown as Lead,
        );
      } catch (error) {
        throw vendorError(error);
      }
      if (
        leads.some((l) => typeof l.Id !== 'string' || !LEAD_ID.test(l.Id) || !CURSOR.test(l.LastModifiedDate))
      )
        throw vendorError(Object.assign(new Error('malformed'), { name: 'malformed_record' }));
      await ports.audit([
        accessFact({
          connectionId,
          kind: 'salesforce',
          direction: 'read',
          objectType: 'Lead',
          operation: 'query',
          fields: LEAD_FIELDS,
          count: leads.length,
        }),
      ]);
      const cursor = leads.at(-1)?.LastModifiedDate ?? since;
      if (parsed.args.since === undefined) await ports.writeCursor(cursor);
      return kept({ leads, cursor }, LEAD_FIELDS);
    }

    case 'salesforce.update_lead': {
      const parsed = integrationNodeArgs(operation, input.args);
      if ('failed' in parsed) return parsed.failed;
      const { leadId, fields } = parsed.args;
      const names = Object.keys(fields).sort();
      if (ports.connection.approveWrites === 'true' && !input.approved)
        return {
          status: 'approval',
          summary: `Write ${names.join(', ')} of Salesforce Lead ${leadId}`,
          timeoutSeconds: 7 * 86_400,
          risk: 'medium',
          details: { connectionId, objectType: 'Lead', leadId, fields: names },
        };
      const { conn, vendorError } = salesforceConnection({
        settings,
        credentials: ports.credentials,
        refreshed: (credentials) => ports.refreshed(credentials),
      });
      try {
        const res = await conn.sobject('Lead').update({ ...fields, Id: leadId });
        if (!res.success) throw Object.assign(new Error('update refused'), { name: 'update_refused' });
      } catch (error) {
        throw vendorError(error);
      }
      await ports.audit([
        accessFact({
          connectionId,
          kind: 'salesforce',
          direction: 'write',
          objectType: 'Lead',
          operation: 'update',
          fields: names,
          count: 1,
        }),
      ]);
      return kept({ leadId, fields: names }, names);
    }

    case 'gmail.read_new':
    case 'gmail.label':
    case 'gmail.draft_reply':
      return runGmailNode({ ...input, operation });

    case 'slack.post': {
      const parsed = integrationNodeArgs(operation, input.args);
      if ('failed' in parsed) return parsed.failed;
      const text = parsed.args.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const delivered = await deliverSlackMessage({
        settings,
        connectionId,
        credentials: ports.credentials,
        channel: ports.connection.channel,
        message: {
          text,
          blocks: [{ type: 'section', text: { type: 'plain_text', text: parsed.args.text } }],
        },
      });
      await ports.audit([delivered.fact]);
      return kept({ ts: delivered.ts ?? '' }, delivered.fact.data.fields);
    }
    default:
      return operation satisfies never;
  }
}

async function runGmailNode(input: {
  operation: 'gmail.read_new' | 'gmail.label' | 'gmail.draft_reply';
  args: unknown;
  ports: IntegrationNodePorts;
}): Promise<StepResult> {
  const { ports } = input;
  const { connectionId } = ports;
  const { api, settled } = gmailApi({
    settings: ports.settings,
    credentials: ports.credentials,
    refreshed: (credentials) => ports.refreshed(credentials),
  });
  const fact = gmailFacts(connectionId);
  const kept = (output: unknown, fields: string[]): StepResult => ({
    status: 'completed',
    output,
    keep: { fields },
  });
  try {
    switch (input.operation) {
      case 'gmail.read_new': {
        const parsed = integrationNodeArgs(input.operation, input.args);
        if ('failed' in parsed) return parsed.failed;
        const since = await ports.readCursor();
        const start = async () => {
          const profile = await gmailCall(() => api.users.getProfile({ userId: 'me' }));
          await ports.audit([fact('read', 'Profile', 'get', ['historyId'], 1)]);
          const id = String(profile.historyId ?? '');
          if (!/^\d{1,20}$/.test(id)) throw new GoogleFailure('malformed_response', false);
          await ports.writeCursor(id);
          return kept({ messages: [], cursor: id }, ['historyId']);
        };
        if (!since) return await start();
        let history: gmail_v1.Schema$ListHistoryResponse;
        try {
          history = await gmailCall(() =>
            api.users.history.list({
              userId: 'me',
              startHistoryId: since,
              historyTypes: ['messageAdded'],
              labelId: 'INBOX',
              maxResults: parsed.args.limit ?? 20,
            }),
          );
        } catch (error) {
          if (error instanceof GoogleFailure && error.code === 'not_found') return await start();
          throw error;
        }
        const ids = [
          ...new Set(
            (history.history ?? []).flatMap((h) => (h.messagesAdded ?? []).map((a) => a.message?.id ?? '')),
          ),
        ].filter((id) => MESSAGE_ID.test(id));
        await ports.audit([fact('read', 'History', 'list', ['messagesAdded'], ids.length)]);
        const messages = [];
        for (const id of ids) {
          const m = await gmailCall(() => api.users.messages.get({ userId: 'me', id, format: 'full' }));
          if (!m.payload) throw new GoogleFailure('malformed_response', false);
          messages.push({
            id,
            threadId: m.threadId ?? id,
            fromDomain: gmailDomainOf(gmailHeader(m, 'From')),
            subject: gmailHeader(m, 'Subject').slice(0, 500),
            body: gmailPlainText(m.payload).slice(0, 30_000),
          });
        }
        const read = ['payload.body', 'payload.headers.From', 'payload.headers.Subject'];
        if (messages.length) await ports.audit([fact('read', 'Message', 'get', read, messages.length)]);
        const cursor = String(history.historyId ?? since);
        if (!/^\d{1,20}$/.test(cursor)) throw new GoogleFailure('malformed_response', false);
        await ports.writeCursor(cursor);
        return kept({ messages, cursor }, read);
      }
      case 'gmail.label': {
        const parsed = integrationNodeArgs(input.operation, input.args);
        if ('failed' in parsed) return parsed.failed;
        const listed = await gmailCall(() => api.users.labels.list({ userId: 'me' }));
        await ports.audit([fact('read', 'Label', 'list', ['id', 'name'], listed.labels?.length ?? 0)]);
        const known = new Map(
          (listed.labels ?? []).flatMap((l) => (l.name && l.id ? [[l.name, l.id] as const] : [])),
        );
        const add: string[] = [];
        for (const label of parsed.args.labels) {
          const name = `${LABEL_PREFIX}/${label}`;
          let id = known.get(name);
          if (!id) {
            const made = await gmailCall(() =>
              api.users.labels.create({
                userId: 'me',
                requestBody: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' },
              }),
            );
            await ports.audit([
              fact('write', 'Label', 'create', ['labelListVisibility', 'messageListVisibility', 'name'], 1),
            ]);
            if (!made.id) throw new GoogleFailure('malformed_response', false);
            id = made.id;
          }
          add.push(id);
        }
        await gmailCall(() =>
          api.users.messages.modify({
            userId: 'me',
            id: parsed.args.messageId,
            requestBody: { addLabelIds: add },
          }),
        );
        await ports.audit([fact('write', 'Message', 'modify', ['addLabelIds'], 1)]);
        return kept({ messageId: parsed.args.messageId, labels: parsed.args.labels }, ['addLabelIds']);
      }
      case 'gmail.draft_reply': {
        const parsed = integrationNodeArgs(input.operation, input.args);
        if ('failed' in parsed) return parsed.failed;
        const { messageId, body } = parsed.args;
        const original = await gmailCall(() =>
          api.users.messages.get({
            userId: 'me',
            id: messageId,
            format: 'metadata',
            metadataHeaders: ['From', 'Subject', 'Message-ID'],
          }),
        );
        const headerFields = [
          'payload.headers.From',
          'payload.headers.Message-ID',
          'payload.headers.Subject',
        ];
        await ports.audit([fact('read', 'Message', 'get', headerFields, 1)]);
        const from = gmailHeader(original, 'From');
        const subject = gmailHeader(original, 'Subject');
        const messageHeader = gmailHeader(original, 'Message-ID');
        const clean = (s: string) => s.replace(/[\r\n]+/g, ' ');
        const raw = [
          `To: ${clean(from)}`,
          `Subject: ${clean(/^re:/i.test(subject) ? subject : `Re: ${subject}`)}`,
          ...(messageHeader
            ? [`In-Reply-To: ${clean(messageHeader)}`, `References: ${clean(messageHeader)}`]
            : []),
          'Content-Type: text/plain; charset="UTF-8"',
          '',
          body,
        ].join('\r\n');
        // A draft only: nothing here, or anywhere in Proofpane, calls messages.send or drafts.send.
        const draft = await gmailCall(() =>
          api.users.drafts.create({
            userId: 'me',
            requestBody: {
              message: {
                raw: Buffer.from(raw).toString('base64url'),
                threadId: original.threadId ?? messageId,
              },
            },
          }),
        );
        await ports.audit([fact('write', 'Draft', 'create', ['message.raw', 'message.threadId'], 1)]);
        if (!draft.id) throw new GoogleFailure('malformed_response', false);
        return kept({ draftId: draft.id, messageId }, ['message.raw', 'message.threadId']);
      }
      default:
        return input.operation satisfies never;
    }
  } finally {
    await settled();
  }
}
