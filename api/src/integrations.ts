import { z } from 'zod';

/*
 * Connections to Salesforce, Gmail and Slack (docs/integrations.md). Credentials go in and never come
 * back out: a connection is shown by kind, method, label, status and an 8-hex fingerprint.
 */

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().trim().min(1).max(max).refine(noNul, 'must not contain NUL');
/** A credential: printable ASCII, no spaces, bounded. */
const secret = (max: number) =>
  z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .max(max);

export const INTEGRATION_KINDS = ['salesforce', 'gmail', 'slack'] as const;
export const integrationKind = z.enum(INTEGRATION_KINDS);
export type IntegrationKind = z.infer<typeof integrationKind>;
export const integrationStatus = z.enum(['active', 'revoked', 'expired']);
export type IntegrationStatus = z.infer<typeof integrationStatus>;

/** A Salesforce field's API name (`Rating`, `Triage_Category__c`). */
export const salesforceFieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'a Salesforce field API name');

const label = text(100).optional();
/** Where `external.salesforce_lead_intake` writes each lead's classification back. */
const salesforceFields = z
  .strictObject({ category: salesforceFieldName, rationale: salesforceFieldName.optional() })
  .optional();
/**
 * When true, each lead's write-back waits for a person: a HITL request (`tool_call`, target
 * `integration/salesforce/Lead`) is opened and the lead is written only once it is approved.
 */
const approveWrites = z.boolean().optional();
/**
 * What the connection posts by itself as soon as it happens: new HITL requests (with Approve and Deny,
 * which need the signing secret), quality drift alerts and budget alerts at 50, 80 and 100 % of the cap.
 */
export const INTEGRATION_ALERT_KINDS = ['hitl', 'drift', 'budget'] as const;
const alerts = z.array(z.enum(INTEGRATION_ALERT_KINDS)).max(3).optional();

export const connectIntegrationBody = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('password'),
    label,
    username: text(200),
    password: secret(500),
    /** Appended to the password, as Salesforce's username-password flow expects. */
    securityToken: secret(200).optional(),
    fields: salesforceFields,
    approveWrites,
  }),
  z.strictObject({
    method: z.literal('refresh_token'),
    label,
    refreshToken: secret(2_000),
    fields: salesforceFields,
    approveWrites,
  }),
  z.strictObject({
    method: z.literal('bot_token'),
    label,
    botToken: z.string().regex(/^xoxb-[A-Za-z0-9-]{1,250}$/, 'a Slack bot token (xoxb-…)'),
    channel: z.string().regex(/^[CGD][A-Z0-9]{2,20}$/, 'a Slack channel id (C…)'),
    /** Verifies Approve and Deny clicks (decisions/0038); without it the messages carry no buttons. */
    signingSecret: secret(200).optional(),
    /** The Slack user ids whose Approve and Deny clicks count; anyone else in the workspace is refused. */
    approvers: z
      .array(z.string().regex(/^[UW][A-Z0-9]{2,11}$/, 'a Slack user id (U…)'))
      .max(8)
      .optional(),
    alerts,
  }),
  z.strictObject({
    method: z.literal('webhook'),
    label,
    webhookUrl: z.url().max(500),
    /** A webhook receives no clicks, so it posts drift and budget alerts only. */
    alerts: z
      .array(z.enum(['drift', 'budget']))
      .max(2)
      .optional(),
  }),
]);
export type ConnectIntegrationBody = z.input<typeof connectIntegrationBody>;
export const connectIntegrationParams = z.strictObject({ kind: z.enum(['salesforce', 'slack']) });

/** `POST /api/integrations/gmail/connect`: where to send the browser for Google's consent. */
export const gmailConnectBody = z.strictObject({ label });
export const gmailConnectStarted = z.object({ authorizationUrl: z.string() });
export type GmailConnectStarted = z.infer<typeof gmailConnectStarted>;
/** `POST /api/integrations/gmail/callback`: what Google put on the redirect back to the console. */
export const gmailCallbackBody = z.strictObject({ code: secret(2_000), state: secret(2_000), label });
export type GmailCallbackBody = z.input<typeof gmailCallbackBody>;

export const integrationConnection = z.object({
  id: z.string(),
  kind: integrationKind,
  method: z.string(),
  label: z.string(),
  status: integrationStatus,
  fingerprint: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastAccessAt: z.string().nullable(),
  /** Slack only: the alert kinds it posts by itself and the channel id they go to (a webhook's is fixed). */
  alerts: z.array(z.enum(INTEGRATION_ALERT_KINDS)).optional(),
  channel: z.string().optional(),
});
export type IntegrationConnection = z.infer<typeof integrationConnection>;
export const integrationList = z.object({ integrations: z.array(integrationConnection) });
export type IntegrationList = z.infer<typeof integrationList>;
export const integrationParams = z.strictObject({ id: z.string().min(1).max(100) });
/** `PATCH /api/integrations/:id` (admins): a Slack connection's alert kinds, the whole new set. */
export const integrationUpdateBody = z.strictObject({
  alerts: z.array(z.enum(INTEGRATION_ALERT_KINDS)).max(3),
});
export type IntegrationUpdateBody = z.infer<typeof integrationUpdateBody>;

/** One read or write of an external system, as the log records it: names, never values. */
export const integrationAccess = z.object({
  seq: z.number(),
  time: z.string(),
  connectionId: z.string(),
  kind: integrationKind,
  direction: z.enum(['read', 'write']),
  objectType: z.string(),
  operation: z.string(),
  fields: z.array(z.string()),
  count: z.number(),
});
export type IntegrationAccess = z.infer<typeof integrationAccess>;
export const integrationActivity = z.object({ activity: z.array(integrationAccess) });
export type IntegrationActivity = z.infer<typeof integrationActivity>;

/** `POST /api/integrations/:id/slack-alert`: post one alert now (what the workflow node does). */
export const slackAlertBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('drift'), skill: text(100), signal: text(60), summary: text(2_000) }),
  z.strictObject({ kind: z.literal('budget'), spentUsd: text(30), capUsd: text(30), summary: text(2_000) }),
  z.strictObject({ kind: z.literal('hitl'), requestId: text(200), summary: text(2_000), risk: text(20) }),
]);
export type SlackAlertBody = z.input<typeof slackAlertBody>;
export const slackAlertPosted = z.object({ posted: z.literal(true), ts: z.string().nullable() });

/** `POST /api/integrations/:id/salesforce/lead-intake`: one pass, at most `limit` Leads. */
export const leadIntakeBody = z.strictObject({ limit: z.number().int().min(1).max(200).default(20) });
export const leadIntakeResult = z.object({
  cursor: z.string(),
  /** Leads written back in this pass, including held writes a person approved since the last one. */
  classified: z.number(),
  /** Lead ids whose write waits for a person's approval. */
  awaiting: z.array(z.string()),
  /** Lead ids whose write a person denied or let expire: they stay unwritten. */
  declined: z.array(z.string()),
});
export type LeadIntakeResult = z.infer<typeof leadIntakeResult>;

/**
 * `GET /api/integrations/salesforce/held-writes`: lead write-backs a connection with `approveWrites` held for
 * a person, from their HITL requests: the lead id and field names (never a value), and what became of them.
 */
export const salesforceHeldWrite = z.object({
  requestId: z.string(),
  leadId: z.string(),
  fields: z.array(z.string()),
  /** `awaiting` a person; `approved`, not yet taken by a pass; `applied`: taken by a pass to write; `declined`; `expired`. */
  state: z.enum(['awaiting', 'approved', 'applied', 'declined', 'expired']),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** Who decided: a user id, or `slack:<team>:<user>` for a click in Slack. */
  decidedBy: z.string().nullable(),
});
export type SalesforceHeldWrite = z.infer<typeof salesforceHeldWrite>;
export const salesforceHeldWrites = z.object({ writes: z.array(salesforceHeldWrite) });
export type SalesforceHeldWrites = z.infer<typeof salesforceHeldWrites>;

/** `POST /api/integrations/:id/gmail/triage`: what each new message was labelled, and a reply never sent. */
export const gmailTriageResult = z.object({
  cursor: z.string(),
  triaged: z.array(
    z.object({ messageId: z.string(), category: z.string(), priority: z.string(), draftReply: z.string() }),
  ),
});
export type GmailTriageResult = z.infer<typeof gmailTriageResult>;
