import {
  type AlertKind,
  alertFromEvent,
  handleIntegrationCommand,
  type IntegrationVault,
  parseAlertKinds,
  recordIntegrationAccess,
  slackAlertMessage,
} from '@proofpane/commands';
import type { Actor, EventStore } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import type { IntegrationSettings } from './settings.js';
import { SlackFailure } from './slack.js';
import { deliverSlackMessage } from './slack-delivery.js';
import { applyIntegrationEvents } from './tables.js';

const ACTOR: Actor = { kind: 'system', id: 'integration-alerts' };
/** Events read per connection and pass; the next pass goes on from the cursor. */
const PAGE = 500;

interface Target {
  org: string;
  id: string;
  channel: string | undefined;
  kinds: AlertKind[];
}

export interface AlertPassResult {
  posted: number;
  /** Connections whose posting failed in this pass: their cursor stays, the next pass retries. */
  failed: number;
}

/**
 * Posts new HITL requests, drift alerts and budget alerts to the Slack connections an admin marked for
 * them (decisions/0049). Each connection has its own cursor (the org seq it has handled), advanced in
 * the same commit as the `cp.integration.write` of each posting, so a message is posted once and a
 * failing connection holds back only itself. Passes never overlap in one process; the loop holding the
 * deployment's lease is the only one that runs them.
 */
export function createAlertPoster(options: {
  db: Kysely<unknown>;
  store: EventStore;
  vault: IntegrationVault;
  settings: IntegrationSettings;
  onError?: (error: unknown) => void;
}) {
  const { db, store, vault, settings } = options;

  const targets = async (): Promise<Target[]> => {
    const { rows } = await sql<{ org: string; id: string; settings: string }>`
      SELECT org, id, settings FROM integration_connections
      WHERE kind = 'slack' AND status = 'active' ORDER BY org, id`.execute(db);
    return rows.flatMap((r) => {
      const s = JSON.parse(r.settings) as Record<string, string>;
      const kinds = parseAlertKinds(s.alerts);
      return kinds.length ? [{ org: r.org, id: r.id, channel: s.channel, kinds }] : [];
    });
  };

  /** The seq handled so far; a connection starts at its own connected event, never posting the past. */
  const cursorOf = async (target: Target): Promise<number> => {
    const { rows } = await sql<{ seq: string | number }>`
      SELECT seq FROM integration_alert_cursors
      WHERE org = ${target.org} AND connection_id = ${target.id}`.execute(db);
    if (rows[0]) return Number(rows[0].seq);
    const history = await store.readSubject({ org: target.org, subject: `integration/${target.id}` });
    const start = history.find((e) => e.type === 'cp.integration.connected')?.seq ?? 0;
    await saveCursor(db, target, start);
    return start;
  };

  const pending = async (org: string, requestId: string) =>
    !(await store.readSubject({ org, subject: `hitl/${requestId}` })).some(
      (e) => e.type === 'cp.hitl.resolved' || e.type === 'cp.hitl.expired',
    );

  async function postFor(target: Target): Promise<{ posted: number; ok: boolean }> {
    const { org, id: connectionId } = target;
    const from = await cursorOf(target);
    const events = await store.readOrg({ org, fromSeq: from + 1, limit: PAGE });
    let posted = 0;
    for (const event of events) {
      const alert = alertFromEvent({ event, kinds: target.kinds, connectionId });
      if (!alert || (alert.kind === 'hitl' && !(await pending(org, alert.requestId)))) continue;
      const credentials = await vault.reveal({ org, connectionId });
      if (!credentials) return { posted, ok: false };
      let fact: Awaited<ReturnType<typeof deliverSlackMessage>>['fact'];
      try {
        ({ fact } = await deliverSlackMessage({
          settings,
          connectionId,
          credentials,
          channel: target.channel,
          message: slackAlertMessage(alert),
        }));
      } catch (error) {
        if (error instanceof SlackFailure && error.revoked)
          await handleIntegrationCommand({
            store,
            org,
            actor: ACTOR,
            command: { type: 'fail', connectionId, status: 'revoked', reason: error.code },
            inline: (trx, appended) => applyIntegrationEvents(trx, appended),
          });
        return { posted, ok: false };
      }
      await recordIntegrationAccess({
        store,
        org,
        actor: ACTOR,
        connectionId,
        facts: [fact],
        meta: { causationId: event.id },
        inline: async (trx, appended) => {
          await applyIntegrationEvents(trx, appended);
          await saveCursor(trx, target, event.seq);
        },
      });
      posted += 1;
    }
    const last = events.at(-1);
    if (last) await saveCursor(db, target, last.seq);
    return { posted, ok: true };
  }

  let running: Promise<unknown> = Promise.resolve();
  return {
    /** One pass over every marked connection; a call made while a pass runs waits for it, then runs. */
    pass(): Promise<AlertPassResult> {
      const next = running.then(async () => {
        const result: AlertPassResult = { posted: 0, failed: 0 };
        for (const target of await targets()) {
          const { posted, ok } = await postFor(target).catch((error: unknown) => {
            options.onError?.(error);
            return { posted: 0, ok: false };
          });
          result.posted += posted;
          if (!ok) result.failed += 1;
        }
        return result;
      });
      running = next.catch(() => undefined);
      return next;
    },
  };
}

export type AlertPoster = ReturnType<typeof createAlertPoster>;

/** Cursors only move forward: a late write of an older seq never re-opens what was posted. */
async function saveCursor(db: Kysely<unknown>, target: Target, seq: number) {
  await sql`
    INSERT INTO integration_alert_cursors (org, connection_id, seq) VALUES (${target.org}, ${target.id}, ${seq})
    ON CONFLICT (org, connection_id)
    DO UPDATE SET seq = GREATEST(integration_alert_cursors.seq, EXCLUDED.seq)`.execute(db);
}
