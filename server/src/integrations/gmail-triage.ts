import type { gmail_v1 } from '@googleapis/gmail';
import { accessFact, type IntegrationAccessFact, type IntegrationCredentials } from '@proofpane/commands';
import { GoogleFailure, gmailApi, googleFailure } from './gmail-oauth.js';
import type { IntegrationSettings } from './settings.js';

/** What one message's triage answers (`external.gmail_triage`'s output, the parts used here). */
export interface Triage {
  category: string;
  priority: string;
  routeTo: string;
  draftReply: string;
}

export interface GmailTriagePorts {
  triage(input: {
    message: { fromDomain: string; subject: string; body: string; hasAttachments: boolean };
    mailbox: string;
  }): Promise<Triage>;
  refreshed(credentials: IntegrationCredentials): Promise<void>;
  audit(facts: IntegrationAccessFact[]): Promise<void>;
  advanced(historyId: string): Promise<void>;
}

const HISTORY_ID = /^\d{1,20}$/;
const LABEL_PREFIX = 'Proofpane';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Gmail call, retried on 429 after its Retry-After (at most 30 s, three tries). */
async function call<T>(run: () => Promise<{ data: T }>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await run()).data;
    } catch (error) {
      const response = (error as { response?: { status?: number; headers?: unknown } }).response;
      if (response?.status === 404) throw new GoogleFailure('not_found', false);
      if (response?.status === 429 && attempt < 3) {
        const headers = response.headers as { get?: (n: string) => string | null } & Record<string, unknown>;
        const raw =
          typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
        const wait = Number.parseInt(String(raw ?? '1'), 10);
        await sleep(Math.min(Number.isFinite(wait) ? wait : 1, 30) * 1000);
        continue;
      }
      throw googleFailure(error);
    }
  }
}

const header = (m: gmail_v1.Schema$Message, name: string) =>
  m.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? '';

/** The text/plain body of a message, from its parts or its single body; base64url as Gmail sends it. */
function plainText(part: gmail_v1.Schema$MessagePart | undefined): string {
  if (!part) return '';
  if (part.mimeType === 'text/plain' && part.body?.data)
    return Buffer.from(part.body.data, 'base64url').toString('utf8');
  for (const p of part.parts ?? []) {
    const text = plainText(p);
    if (text) return text;
  }
  return '';
}

const hasAttachment = (part: gmail_v1.Schema$MessagePart | undefined): boolean =>
  Boolean(part && ((part.filename && part.body?.attachmentId) || (part.parts ?? []).some(hasAttachment)));

/** The sender's domain only: the address itself is personal data the triage does not need. */
const domainOf = (from: string) => /@([A-Za-z0-9.-]+)/.exec(from)?.[1]?.toLowerCase() ?? '';

/** The audit fact of one Gmail read or write on a connection: object type, operation and field names. */
export const gmailFacts =
  (connectionId: string) =>
  (
    direction: 'read' | 'write',
    objectType: string,
    operation: 'get' | 'list' | 'modify' | 'create',
    fields: string[],
    count: number,
  ): IntegrationAccessFact =>
    accessFact({ connectionId, kind: 'gmail', direction, objectType, operation, fields, count });

/**
 * One pass of `external.gmail_triage`: the mailbox's history since the stored history id (`messageAdded`
 * in the inbox), each new message read, triaged through the governed skill call (DLP before any model) and
 * labelled `Proofpane/<category>` and `Proofpane/<priority>`. Nothing is ever sent: the suggested reply
 * is answered to the caller. The first pass only records where the mailbox stands.
 */
export async function gmailTriage(options: {
  settings: IntegrationSettings;
  connectionId: string;
  credentials: IntegrationCredentials;
  cursor: string | undefined;
  ports: GmailTriagePorts;
}): Promise<{
  cursor: string;
  triaged: { messageId: string; category: string; priority: string; draftReply: string }[];
}> {
  const { settings, connectionId, ports } = options;
  const { api, settled } = gmailApi({
    settings,
    credentials: options.credentials,
    refreshed: (credentials) => ports.refreshed(credentials),
  });
  const fact = gmailFacts(connectionId);

  const start = async () => {
    const profile = await call(() => api.users.getProfile({ userId: 'me' }));
    await ports.audit([fact('read', 'Profile', 'get', ['historyId'], 1)]);
    const id = String(profile.historyId ?? '');
    if (!HISTORY_ID.test(id)) throw new GoogleFailure('malformed_response', false);
    await ports.advanced(id);
    return { cursor: id, triaged: [] };
  };

  try {
    if (!options.cursor || !HISTORY_ID.test(options.cursor)) return await start();
    let history: gmail_v1.Schema$ListHistoryResponse;
    try {
      history = await call(() =>
        api.users.history.list({
          userId: 'me',
          startHistoryId: options.cursor,
          historyTypes: ['messageAdded'],
          labelId: 'INBOX',
          maxResults: 100,
        }),
      );
    } catch (error) {
      // A history id older than Gmail keeps answers 404: start again from where the mailbox stands.
      if (error instanceof GoogleFailure && error.code === 'not_found') return await start();
      throw error;
    }
    const ids = [
      ...new Set(
        (history.history ?? []).flatMap((h) => (h.messagesAdded ?? []).map((a) => a.message?.id ?? '')),
      ),
    ].filter((id) => /^[A-Za-z0-9]{1,64}$/.test(id));
    await ports.audit([fact('read', 'History', 'list', ['messagesAdded'], ids.length)]);
    const nextCursor = String(history.historyId ?? options.cursor);
    if (!HISTORY_ID.test(nextCursor)) throw new GoogleFailure('malformed_response', false);

    const labels = new Map<string, string>();
    const labelId = async (name: string) => {
      if (labels.size === 0) {
        const listed = await call(() => api.users.labels.list({ userId: 'me' }));
        await ports.audit([fact('read', 'Label', 'list', ['id', 'name'], listed.labels?.length ?? 0)]);
        for (const l of listed.labels ?? []) if (l.name && l.id) labels.set(l.name, l.id);
      }
      const known = labels.get(name);
      if (known) return known;
      const made = await call(() =>
        api.users.labels.create({
          userId: 'me',
          requestBody: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' },
        }),
      );
      await ports.audit([
        fact('write', 'Label', 'create', ['labelListVisibility', 'messageListVisibility', 'name'], 1),
      ]);
      if (!made.id) throw new GoogleFailure('malformed_response', false);
      labels.set(name, made.id);
      return made.id;
    };

    const triaged: { messageId: string; category: string; priority: string; draftReply: string }[] = [];
    // One page of history (at most 100 messages); the cursor moves past it only when all are labelled.
    for (const id of ids) {
      const message = await call(() => api.users.messages.get({ userId: 'me', id, format: 'full' }));
      if (!message.payload) throw new GoogleFailure('malformed_response', false);
      await ports.audit([
        fact(
          'read',
          'Message',
          'get',
          ['payload.body', 'payload.headers.From', 'payload.headers.Subject'],
          1,
        ),
      ]);
      const result = await ports.triage({
        mailbox: 'inbox',
        message: {
          fromDomain: domainOf(header(message, 'From')),
          subject: header(message, 'Subject').slice(0, 500),
          body: plainText(message.payload).slice(0, 30_000),
          hasAttachments: hasAttachment(message.payload),
        },
      });
      const add = [
        await labelId(`${LABEL_PREFIX}/${result.category}`),
        await labelId(`${LABEL_PREFIX}/${result.priority}`),
      ];
      await call(() => api.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: add } }));
      await ports.audit([fact('write', 'Message', 'modify', ['addLabelIds'], 1)]);
      triaged.push({
        messageId: id,
        category: result.category,
        priority: result.priority,
        draftReply: result.draftReply,
      });
    }
    await settled();
    await ports.advanced(nextCursor);
    return { cursor: nextCursor, triaged };
  } finally {
    await settled();
  }
}

export { call as gmailCall, domainOf as gmailDomainOf, header as gmailHeader, plainText as gmailPlainText };
