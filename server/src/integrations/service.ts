import type {
  ConnectIntegrationBody,
  IntegrationAccess,
  IntegrationConnection,
  SlackAlertBody,
} from '@proofpane/api';
import {
  type AlertKind,
  accessFact,
  alertKindsSetting,
  checkSlackSignature,
  credentialFingerprint,
  failedWith,
  handleIntegrationCommand,
  type IntegrationAccessFact,
  type IntegrationCredentials,
  IntegrationError,
  type IntegrationKind,
  type IntegrationMethod,
  type IntegrationVault,
  integrationConfig,
  issueOAuthState,
  mappedArguments,
  operationKind,
  parseAlertKinds,
  parseHitlActionValue,
  recordIntegrationAccess,
  SLACK_APPROVE_ACTION,
  SLACK_DENY_ACTION,
  type SlackAlert,
  type StepContext,
  type StepResult,
  slackAlertMessage,
  verifyOAuthState,
} from '@proofpane/commands';
import type { Actor, EventStore } from '@proofpane/core';
import { newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { createAlertPoster } from './alert-pass.js';
import { gmailConsentUrl, gmailExchangeCode } from './gmail-oauth.js';
import { gmailTriage, type Triage } from './gmail-triage.js';
import { salesforceHeldWrites } from './held-writes.js';
import { salesforcePasswordLogin, salesforceRefresh } from './salesforce.js';
import { type LeadApprovalHitl, leadWriteApproval } from './salesforce-approval.js';
import { LEAD_CURSOR_START, salesforceLeadIntake } from './salesforce-lead-intake.js';
import { allowedInstance, allowedWebhook, type IntegrationSettings } from './settings.js';
import { SlackFailure, slackAuthTest } from './slack.js';
import { deliverSlackMessage } from './slack-delivery.js';
import { applyIntegrationEvents } from './tables.js';
import { runIntegrationNode } from './workflow-nodes.js';

type Row = {
  id: string;
  kind: IntegrationKind;
  method: string;
  label: string;
  status: 'active' | 'revoked' | 'expired';
  fingerprint: string;
  settings: string;
  created_at: Date | string;
  updated_at: Date | string;
  last_access_at: Date | string | null;
  org: string;
};
const iso = (v: Date | string) => new Date(v).toISOString();
const view = (r: Row): IntegrationConnection => ({
  id: r.id,
  kind: r.kind,
  method: r.method,
  label: r.label,
  status: r.status,
  fingerprint: r.fingerprint,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  lastAccessAt: r.last_access_at === null ? null : iso(r.last_access_at),
  ...slackView(r),
});
const slackView = (r: Row): Pick<IntegrationConnection, 'alerts' | 'channel'> => {
  if (r.kind !== 'slack') return {};
  const s = JSON.parse(r.settings) as Record<string, string>;
  const alerts = parseAlertKinds(s.alerts);
  return { ...(alerts.length ? { alerts } : {}), ...(s.channel ? { channel: s.channel } : {}) };
};

/** A vendor refusal carrying its plain code and whether it means the credential is dead. */
interface VendorFailure {
  code: string;
  revoked: boolean;
}
const isVendorFailure = (e: unknown): e is Error & VendorFailure =>
  e instanceof Error && typeof (e as Partial<VendorFailure>).revoked === 'boolean';

/** Who a Slack click is recorded as: the Slack workspace and user ids, never a name or address. */
export const slackActor = (teamId: string, userId: string): Actor => ({
  kind: 'user',
  id: `slack:${teamId}:${userId}`,
});

export interface HitlResolver {
  resolve(input: {
    org: string;
    requestId: string;
    decision: 'approve' | 'deny';
    remember: boolean;
    note?: string | undefined;
    actor: Actor;
  }): Promise<unknown>;
}

/** The governed skill call (`app.skills.run`): policy, DLP and HITL before any model sees a value. */
export type GovernedSkill = (request: {
  org: string;
  actor: Actor;
  skillId: string;
  input: unknown;
}) => Promise<{ output: unknown; runId: string }>;

export function createIntegrationService(options: {
  db: Kysely<unknown>;
  skills: GovernedSkill;
  store: EventStore;
  vault: IntegrationVault;
  settings: IntegrationSettings;
  masterKey: Buffer;
  hitl: HitlResolver & LeadApprovalHitl;
  now?: () => Date;
  onError?: (error: unknown) => void;
}) {
  const { db, store, vault, settings, masterKey, hitl, skills } = options;
  const now = options.now ?? (() => new Date());
  const inline = async (
    trx: Parameters<typeof applyIntegrationEvents>[0],
    events: Parameters<typeof applyIntegrationEvents>[1],
  ) => applyIntegrationEvents(trx, events);

  const row = async (org: string, id: string): Promise<Row> => {
    const { rows } = await sql<Row>`
      SELECT * FROM integration_connections WHERE org = ${org} AND id = ${id}`.execute(db);
    const found = rows[0];
    if (!found) throw new IntegrationError('integration_not_found', `no connection ${id}`);
    return found;
  };

  const audit = (
    org: string,
    actor: Actor,
    connectionId: string,
    facts: IntegrationAccessFact[],
    meta?: Record<string, string>,
  ) => recordIntegrationAccess({ store, org, actor, connectionId, facts, inline, ...(meta ? { meta } : {}) });

  /** Marks the credential dead once and answers the error the caller sees. */
  const failed = async (org: string, actor: Actor, connectionId: string, error: unknown): Promise<never> => {
    if (isVendorFailure(error) && error.revoked) {
      await handleIntegrationCommand({
        store,
        org,
        actor,
        command: { type: 'fail', connectionId, status: 'revoked', reason: error.code },
        inline,
      });
      throw new IntegrationError(
        'integration_credential_revoked',
        `the ${error.code} answer means the credential no longer works; connect again`,
      );
    }
    const code = isVendorFailure(error) ? error.code : 'unknown';
    throw new IntegrationError('integration_upstream_failed', `the external system answered ${code}`);
  };

  async function establish(input: {
    org: string;
    actor: Actor;
    kind: IntegrationKind;
    method: IntegrationMethod;
    label: string;
    credentials: IntegrationCredentials;
    settings?: Record<string, string>;
    facts?: (connectionId: string) => IntegrationAccessFact[];
  }): Promise<IntegrationConnection> {
    const connectionId = newId('int');
    // The sealed row first: a connection event without its credential would show as usable.
    await vault.put({ org: input.org, connectionId, credentials: input.credentials, now: now() });
    await handleIntegrationCommand({
      store,
      org: input.org,
      actor: input.actor,
      command: {
        type: 'connect',
        connectionId,
        kind: input.kind,
        method: input.method,
        label: input.label,
        fingerprint: credentialFingerprint(input.credentials),
        settings: input.settings,
      },
      inline,
    });
    if (input.facts) await audit(input.org, input.actor, connectionId, input.facts(connectionId));
    return view(await row(input.org, connectionId));
  }

  const rejected = (error: unknown): never => {
    const code = isVendorFailure(error) ? error.code : 'unknown';
    if (isVendorFailure(error) && !(error instanceof SlackFailure && error.code === 'unreachable'))
      throw new IntegrationError('integration_credential_rejected', `the vendor answered ${code}`);
    throw new IntegrationError('integration_upstream_failed', `the vendor answered ${code}`);
  };

  const requireSalesforceClient = () => {
    if (!settings.salesforce.clientId || !settings.salesforce.clientSecret)
      throw new IntegrationError(
        'integration_not_configured',
        'set PROOFPANE_SALESFORCE_CLIENT_ID and PROOFPANE_SALESFORCE_CLIENT_SECRET',
      );
  };

  const readCursor = async (org: string, connectionId: string) => {
    const { rows } = await sql<{ cursor: string }>`
      SELECT cursor FROM integration_cursors WHERE org = ${org} AND connection_id = ${connectionId}`.execute(
      db,
    );
    return rows[0]?.cursor;
  };
  const writeCursor = async (org: string, connectionId: string, cursor: string) => {
    await sql`
      INSERT INTO integration_cursors (org, connection_id, cursor) VALUES (${org}, ${connectionId}, ${cursor})
      ON CONFLICT (org, connection_id) DO UPDATE SET cursor = EXCLUDED.cursor`.execute(db);
  };

  /** The connection, its settings and its opened credential, when it is of this kind and still usable. */
  const usable = async (org: string, connectionId: string, kind: IntegrationKind) => {
    const conn = await row(org, connectionId);
    if (conn.kind !== kind)
      throw new IntegrationError('integration_not_found', `${connectionId} is not ${kind}`);
    if (conn.status !== 'active')
      throw new IntegrationError(
        'integration_credential_revoked',
        `connection ${connectionId} is ${conn.status}`,
      );
    const credentials = await vault.reveal({ org, connectionId });
    if (!credentials)
      throw new IntegrationError('integration_not_found', `no credential for ${connectionId}`);
    return { conn, credentials, settings: JSON.parse(conn.settings) as Record<string, string> };
  };

  /** Stores a refreshed token sealed and records the refresh by fingerprint. */
  const refreshed = async (
    org: string,
    actor: Actor,
    connectionId: string,
    credentials: IntegrationCredentials,
  ) => {
    await vault.put({ org, connectionId, credentials, now: now() });
    await handleIntegrationCommand({
      store,
      org,
      actor,
      command: { type: 'refresh', connectionId, fingerprint: credentialFingerprint(credentials) },
      inline,
    });
  };

  const alerts = createAlertPoster({ db, store, vault, settings, onError: options.onError });

  return {
    /**
     * One `integration` workflow step (decisions/0052): the org's connection of the operation's kind,
     * its reads and writes audited by field names under the run's id, its output handed back to be kept
     * outside the log. A vendor or connection failure fails the step by its code.
     */
    async workflowNode(context: StepContext): Promise<StepResult> {
      const { org, actor, runId } = context;
      const config = integrationConfig.safeParse(context.node.config);
      if (!config.success) return failedWith('invalid_config', config.error, false);
      const { connection: connectionId, operation } = config.data;
      const mapped = mappedArguments(config.data.args, context.mapping);
      if ('failed' in mapped) return mapped.failed;
      try {
        const { credentials, settings: connection } = await usable(
          org,
          connectionId,
          operationKind(operation),
        );
        const cursorKey = `${connectionId}/workflow`;
        return await runIntegrationNode({
          operation,
          args: mapped.args,
          approved: context.approved === true,
          ports: {
            settings,
            connectionId,
            credentials,
            connection,
            audit: async (facts) => {
              await audit(org, actor, connectionId, facts, { runId });
            },
            refreshed: (c) => refreshed(org, actor, connectionId, c),
            readCursor: () => readCursor(org, cursorKey),
            writeCursor: (cursor) => writeCursor(org, cursorKey, cursor),
          },
        }).catch((error: unknown) =>
          isVendorFailure(error) ? failed(org, actor, connectionId, error) : Promise.reject(error),
        );
      } catch (error) {
        if (error instanceof IntegrationError)
          return {
            status: 'failed',
            code: error.code,
            message: error.message,
            retryable: error.code === 'integration_upstream_failed',
          };
        throw error;
      }
    },

    /** One pass of the alert loop: new HITL requests, drift and budget alerts to marked Slack connections. */
    postAlerts: () => alerts.pass(),

    /** One pass of `external.salesforce_lead_intake` over the Leads changed since the stored cursor. */
    async salesforceLeadIntake(input: { org: string; actor: Actor; connectionId: string; limit: number }) {
      const { org, actor, connectionId } = input;
      const { credentials, settings: s } = await usable(org, connectionId, 'salesforce');
      try {
        return await salesforceLeadIntake({
          settings,
          connectionId,
          credentials,
          fields: { category: s.categoryField ?? 'Rating', rationale: s.rationaleField },
          cursor: (await readCursor(org, connectionId)) ?? LEAD_CURSOR_START,
          limit: input.limit,
          ports: {
            classify: async (skillInput) => {
              const { output } = await skills({
                org,
                actor,
                skillId: 'external.salesforce_lead_intake',
                input: skillInput,
              });
              return output as { qualification: string; useCaseSummary: string };
            },
            refreshed: (c) => refreshed(org, actor, connectionId, c),
            audit: async (facts) => {
              await audit(org, actor, connectionId, facts);
            },
            advanced: (cursor) => writeCursor(org, connectionId, cursor),
            approval:
              s.approveWrites === 'true'
                ? leadWriteApproval({ db, hitl, org, actor, connectionId, now })
                : undefined,
          },
        });
      } catch (error) {
        if (!isVendorFailure(error)) throw error;
        return failed(org, actor, connectionId, error);
      }
    },

    /** One pass of `external.gmail_triage` over the mailbox's history since the stored history id. */
    async gmailTriage(input: { org: string; actor: Actor; connectionId: string }) {
      const { org, actor, connectionId } = input;
      const { credentials } = await usable(org, connectionId, 'gmail');
      try {
        return await gmailTriage({
          settings,
          connectionId,
          credentials,
          cursor: await readCursor(org, connectionId),
          ports: {
            triage: async (skillInput) =>
              (await skills({ org, actor, skillId: 'external.gmail_triage', input: skillInput }))
                .output as Triage,
            refreshed: (c) => refreshed(org, actor, connectionId, c),
            audit: async (facts) => {
              await audit(org, actor, connectionId, facts);
            },
            advanced: (cursor) => writeCursor(org, connectionId, cursor),
          },
        });
      } catch (error) {
        if (!isVendorFailure(error)) throw error;
        return failed(org, actor, connectionId, error);
      }
    },

    async connect(input: {
      org: string;
      actor: Actor;
      kind: 'salesforce' | 'slack';
      body: ConnectIntegrationBody;
    }) {
      const { org, actor, kind, body } = input;
      const salesforceMethod = body.method === 'password' || body.method === 'refresh_token';
      if ((kind === 'salesforce') !== salesforceMethod)
        throw apiError('validation_failed', `${body.method} does not connect ${kind}`);
      switch (body.method) {
        case 'password':
        case 'refresh_token': {
          requireSalesforceClient();
          const session = await (body.method === 'password'
            ? salesforcePasswordLogin({
                settings,
                username: body.username,
                password: `${body.password}${body.securityToken ?? ''}`,
              })
            : salesforceRefresh({ settings, refreshToken: body.refreshToken })
          ).catch(rejected);
          if (!allowedInstance(settings, session.instanceUrl))
            throw new IntegrationError(
              'integration_not_configured',
              'the instance URL is not an allowed host',
            );
          const fields = body.fields ?? { category: 'Rating' };
          return establish({
            org,
            actor,
            kind,
            method: body.method,
            label: body.label ?? 'Salesforce',
            credentials:
              body.method === 'password'
                ? {
                    username: body.username,
                    password: `${body.password}${body.securityToken ?? ''}`,
                    accessToken: session.accessToken,
                    instanceUrl: session.instanceUrl,
                  }
                : {
                    refreshToken: body.refreshToken,
                    accessToken: session.accessToken,
                    instanceUrl: session.instanceUrl,
                  },
            settings: {
              categoryField: fields.category,
              ...(fields.rationale ? { rationaleField: fields.rationale } : {}),
              ...(body.approveWrites ? { approveWrites: 'true' } : {}),
            },
          });
        }
        case 'bot_token': {
          if (body.alerts?.includes('hitl') && !(body.signingSecret && body.approvers?.length))
            throw apiError(
              'validation_failed',
              'posting HITL requests needs a signing secret and at least one approver to verify the clicks',
            );
          const alertSetting = alertKindsSetting(body.alerts ?? []);
          const { teamId } = await slackAuthTest({
            apiUrl: settings.slack.apiUrl,
            token: body.botToken,
          }).catch(rejected);
          return establish({
            org,
            actor,
            kind,
            method: 'bot_token',
            label: body.label ?? 'Slack',
            credentials: {
              botToken: body.botToken,
              ...(body.signingSecret ? { signingSecret: body.signingSecret } : {}),
            },
            // Settings are short flat strings on the connected event; Slack ids hold no dot.
            settings: {
              channel: body.channel,
              team: teamId,
              ...(body.approvers?.length ? { approvers: body.approvers.join('.') } : {}),
              ...(alertSetting ? { alerts: alertSetting } : {}),
            },
            facts: (connectionId) => [
              accessFact({
                connectionId,
                kind,
                direction: 'read',
                objectType: 'auth',
                operation: 'get',
                fields: ['team_id'],
                count: 1,
              }),
            ],
          });
        }
        case 'webhook': {
          if (!allowedWebhook(settings, body.webhookUrl))
            throw new IntegrationError(
              'integration_not_configured',
              'the webhook URL is not on an allowed origin',
            );
          const alertSetting = alertKindsSetting(body.alerts ?? []);
          return establish({
            org,
            actor,
            kind,
            method: 'webhook',
            label: body.label ?? 'Slack webhook',
            credentials: { webhookUrl: body.webhookUrl },
            ...(alertSetting ? { settings: { alerts: alertSetting } } : {}),
          });
        }
        default:
          return body satisfies never;
      }
    },

    gmailStart(input: { org: string; user: string }) {
      if (!settings.google.clientId || !settings.google.clientSecret)
        throw new IntegrationError(
          'integration_not_configured',
          'set PROOFPANE_GOOGLE_CLIENT_ID and PROOFPANE_GOOGLE_CLIENT_SECRET',
        );
      const state = issueOAuthState({
        masterKey,
        org: input.org,
        user: input.user,
        kind: 'gmail',
        nowSeconds: Math.floor(now().getTime() / 1000),
      });
      return { authorizationUrl: gmailConsentUrl({ settings, state }) };
    },

    async gmailCallback(input: {
      org: string;
      user: string;
      actor: Actor;
      code: string;
      state: string;
      label?: string | undefined;
    }) {
      const valid = verifyOAuthState({
        masterKey,
        state: input.state,
        org: input.org,
        user: input.user,
        kind: 'gmail',
        nowSeconds: Math.floor(now().getTime() / 1000),
      });
      if (!valid) throw new IntegrationError('integration_oauth_state_invalid', 'the state does not verify');
      const tokens = await gmailExchangeCode({ settings, code: input.code }).catch(rejected);
      return establish({
        org: input.org,
        actor: input.actor,
        kind: 'gmail',
        method: 'oauth_code',
        label: input.label ?? 'Gmail',
        credentials: tokens,
      });
    },

    async list(org: string): Promise<IntegrationConnection[]> {
      const { rows } = await sql<Row>`
        SELECT * FROM integration_connections WHERE org = ${org} ORDER BY created_at DESC, id`.execute(db);
      return rows.map(view);
    },

    heldWrites: (input: { org: string; limit: number }) => salesforceHeldWrites({ db, ...input }),

    async activity(input: { org: string; limit: number }): Promise<IntegrationAccess[]> {
      const { rows } = await sql<{
        seq: string | number;
        time: Date | string;
        connection_id: string;
        kind: IntegrationKind;
        direction: 'read' | 'write';
        object_type: string;
        operation: string;
        fields: string;
        count: number;
      }>`
        SELECT * FROM integration_activity WHERE org = ${input.org} ORDER BY seq DESC LIMIT ${input.limit}`.execute(
        db,
      );
      return rows.map((r) => ({
        seq: Number(r.seq),
        time: iso(r.time),
        connectionId: r.connection_id,
        kind: r.kind,
        direction: r.direction,
        objectType: r.object_type,
        operation: r.operation,
        fields: JSON.parse(r.fields) as string[],
        count: r.count,
      }));
    },

    /**
     * A Slack connection's alert kinds, changed after connecting: `cp.integration.alerts.changed` and the
     * connection's row in one commit. HITL alerts need what connecting with them needs: the signing secret
     * (sealed) and at least one approver; a webhook takes drift and budget only.
     */
    async setAlerts(input: { org: string; actor: Actor; id: string; alerts: AlertKind[] }) {
      const conn = await row(input.org, input.id);
      if (conn.kind !== 'slack')
        throw new IntegrationError('integration_not_found', `${input.id} is not Slack`);
      if (input.alerts.includes('hitl')) {
        const s = JSON.parse(conn.settings) as Record<string, string>;
        const credentials = await vault.reveal({ org: input.org, connectionId: input.id });
        if (conn.method !== 'bot_token' || !credentials?.signingSecret || !s.approvers)
          throw apiError(
            'validation_failed',
            'posting HITL requests needs a bot token connection with a signing secret and at least one approver; connect again with them',
          );
      }
      await handleIntegrationCommand({
        store,
        org: input.org,
        actor: input.actor,
        command: { type: 'set-alerts', connectionId: input.id, alerts: input.alerts },
        inline,
      });
      return view(await row(input.org, input.id));
    },

    async disconnect(input: { org: string; actor: Actor; id: string }) {
      await row(input.org, input.id);
      await handleIntegrationCommand({
        store,
        org: input.org,
        actor: input.actor,
        command: { type: 'disconnect', connectionId: input.id },
        inline,
      });
      await vault.remove({ org: input.org, connectionId: input.id });
    },

    /** Posts one alert through a Slack connection (bot token or webhook), audited by field names. */
    async postSlackAlert(input: { org: string; actor: Actor; connectionId: string; alert: SlackAlertBody }) {
      const { org, actor, connectionId } = input;
      const conn = await row(org, connectionId);
      if (conn.kind !== 'slack')
        throw new IntegrationError('integration_not_found', `${connectionId} is not Slack`);
      if (conn.status !== 'active')
        throw new IntegrationError(
          'integration_credential_revoked',
          `connection ${connectionId} is ${conn.status}`,
        );
      const credentials = await vault.reveal({ org, connectionId });
      if (!credentials)
        throw new IntegrationError('integration_not_found', `no credential for ${connectionId}`);
      const alert: SlackAlert =
        input.alert.kind === 'hitl'
          ? { ...input.alert, connectionId }
          : (input.alert as Exclude<SlackAlert, { kind: 'hitl' }>);
      const message = slackAlertMessage(alert);
      const connSettings = JSON.parse(conn.settings) as Record<string, string>;
      let delivered: Awaited<ReturnType<typeof deliverSlackMessage>>;
      try {
        delivered = await deliverSlackMessage({
          settings,
          connectionId,
          credentials,
          channel: connSettings.channel,
          message,
        });
      } catch (error) {
        if (error instanceof SlackFailure && error.code === 'not_postable')
          throw new IntegrationError('integration_not_found', `connection ${connectionId} cannot post`);
        return failed(org, actor, connectionId, error);
      }
      await audit(org, actor, connectionId, [delivered.fact]);
      const { ts } = delivered;
      return { posted: true as const, ts };
    },

    /**
     * An Approve or Deny click from Slack (decisions/0038). The button names the connection; its sealed
     * signing secret must verify the raw body within five minutes, and the click must come from the
     * workspace the bot was connected in. The decision is the same `cp.hitl.resolved` a console click
     * appends, its actor the Slack user.
     */
    async slackInteraction(input: {
      rawBody: string;
      timestamp: string | undefined;
      signature: string | undefined;
    }) {
      const invalid = () =>
        new IntegrationError('integration_signature_invalid', 'the request is not signed by Slack');
      let payload: {
        type?: unknown;
        user?: { id?: unknown };
        team?: { id?: unknown };
        actions?: { action_id?: unknown; value?: unknown }[];
      };
      try {
        const raw = new URLSearchParams(input.rawBody).get('payload');
        payload = JSON.parse(raw ?? '') as typeof payload;
      } catch {
        throw invalid();
      }
      const action = Array.isArray(payload?.actions) ? payload.actions[0] : undefined;
      const target = typeof action?.value === 'string' ? parseHitlActionValue(action.value) : undefined;
      if (!target) throw invalid();
      const { rows } = await sql<Row>`
        SELECT * FROM integration_connections WHERE id = ${target.connectionId} AND kind = 'slack'`.execute(
        db,
      );
      const conn = rows[0];
      const credentials = conn ? await vault.reveal({ org: conn.org, connectionId: conn.id }) : undefined;
      if (!conn || !credentials?.signingSecret) throw invalid();
      const problem = checkSlackSignature({
        signingSecret: credentials.signingSecret,
        timestamp: input.timestamp,
        signature: input.signature,
        body: input.rawBody,
        nowSeconds: Math.floor(now().getTime() / 1000),
      });
      if (problem) throw invalid();
      const teamId = typeof payload.team?.id === 'string' ? payload.team.id : '';
      const userId = typeof payload.user?.id === 'string' ? payload.user.id : '';
      const connSettings = JSON.parse(conn.settings) as Record<string, string>;
      if (!/^[TUW][A-Z0-9]{1,30}$/.test(userId) || teamId !== connSettings.team) throw invalid();
      // Being in the workspace is not being an approver: only the ids an admin listed may decide.
      if (!(connSettings.approvers ?? '').split('.').includes(userId)) {
        throw new IntegrationError(
          'integration_approver_not_allowed',
          `Slack user ${userId} is not among this connection's approvers; an admin can add them by connecting again`,
        );
      }
      const decision =
        action?.action_id === SLACK_APPROVE_ACTION
          ? 'approve'
          : action?.action_id === SLACK_DENY_ACTION
            ? 'deny'
            : undefined;
      if (!decision) throw invalid();
      const actor = slackActor(teamId, userId);
      await audit(conn.org, actor, conn.id, [
        accessFact({
          connectionId: conn.id,
          kind: 'slack',
          direction: 'read',
          objectType: 'block_actions',
          operation: 'get',
          fields: ['actions', 'team.id', 'user.id'],
          count: 1,
        }),
      ]);
      await hitl.resolve({
        org: conn.org,
        requestId: target.requestId,
        decision,
        remember: false,
        note: 'decided in Slack',
        actor,
      });
      return { decision, org: conn.org };
    },
  };
}

export type IntegrationService = ReturnType<typeof createIntegrationService>;
