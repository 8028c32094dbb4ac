import {
  DRIFT_SUPPRESS_MAX_DAYS,
  type DriftAlert,
  driftAlert,
  driftAlertList,
  driftAlertParams,
  driftAlertsQuery,
  driftSummary,
  driftSummaryQuery,
  suppressDriftAlertBody,
} from '@proofpane/api';
import { handleDriftCommand } from '@proofpane/commands';
import { decodeDriftCursor, getDriftAlert, listDriftAlerts } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { driftSummaryOf } from './summary.js';

const DAY_MS = 86_400_000;

const invalid = (field: string, message: string) =>
  apiError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });

/**
 * `/api/quality/alerts` and `/api/quality/summary` (docs/quality-drift.md): members read the org's drift
 * alerts and the rates behind them from the `quality-drift` read model; an admin suppresses one alert,
 * recorded as `cp.quality.drift.suppressed` on its (skill, signal) subject. Every query is scoped by the
 * principal's org.
 */
export function qualityDriftRoutes(options: { now: () => Date }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['quality'];
    const { store, database } = app.runtime;

    api.get(
      '/api/quality/alerts',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's drift alerts, newest first, by status and skill; `next` continues with `after`",
          querystring: driftAlertsQuery,
          response: { 200: driftAlertList },
        },
      },
      async (request) => {
        const { status, skill, after, limit } = request.query;
        const cursor = after === undefined ? undefined : decodeDriftCursor(after);
        if (after !== undefined && !cursor)
          throw invalid('querystring.after', 'not a cursor this list gave; pass its `next` as is');
        return listDriftAlerts(database.db, {
          org: principalOf(request).org,
          now: options.now().toISOString(),
          status,
          skill,
          after: cursor,
          limit,
        });
      },
    );

    api.get(
      '/api/quality/summary',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'Pass and hallucination rates per skill and bucket over a window, for charts',
          querystring: driftSummaryQuery,
          response: { 200: driftSummary },
        },
      },
      async (request) =>
        driftSummaryOf(database.db, {
          org: principalOf(request).org,
          skill: request.query.skill,
          window: request.query.window,
          now: options.now(),
        }),
    );

    api.post(
      '/api/quality/alerts/:id/suppress',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Suppress one drift alert until a date or until it recovers (cp.quality.drift.suppressed)',
          params: driftAlertParams,
          body: suppressDriftAlertBody,
          response: { 200: driftAlert },
        },
      },
      async (request): Promise<DriftAlert> => {
        const principal = principalOf(request);
        const now = options.now();
        const { signal, until, untilRecovered, reason } = request.body;
        if (until !== undefined) {
          const at = Date.parse(until);
          if (at <= now.getTime()) throw invalid('body.until', 'must be in the future');
          if (at > now.getTime() + DRIFT_SUPPRESS_MAX_DAYS * DAY_MS)
            throw invalid('body.until', `at most ${DRIFT_SUPPRESS_MAX_DAYS} days ahead`);
        }
        const alert = await getDriftAlert(database.db, {
          org: principal.org,
          alertId: request.params.id,
          now: now.toISOString(),
        });
        if (!alert)
          throw apiError('quality_alert_not_found', `no drift alert ${request.params.id} in this org`);
        const suppression = {
          until: untilRecovered === true || until === undefined ? null : new Date(until).toISOString(),
          untilRecovered: untilRecovered === true,
          reason,
        };
        const [event] = await handleDriftCommand({
          store,
          org: principal.org,
          skill: alert.skill,
          signal: alert.signal,
          actor: principal.actor,
          command: { type: 'suppress', alertId: alert.id, signal, ...suppression },
        });
        // The read model follows the event a moment later: answer with the alert as the event leaves it.
        return {
          ...alert,
          status: 'suppressed',
          suppression: { ...suppression, by: principal.actor.id, at: event?.time ?? now.toISOString() },
        };
      },
    );
  };
}
