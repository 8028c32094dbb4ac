import {
  assessRisk,
  argClass as classOf,
  decideConsume,
  decideResolve,
  evolveHitl,
  type HitlConsumeInput,
  HitlError,
  type HitlRequestInput,
  initialHitlState,
  PrecedentIndex,
} from '@proofpane/commands';
import { type Actor, ConcurrencyError, type EventEnvelope, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { type HitlRow, type HitlView, hitlView } from './tables.js';

export type { HitlRequestInput };

export const DEFAULT_AUTO_APPROVE_THRESHOLD = 2.5;

const subjectOf = (requestId: string) => `hitl/${requestId}`;

type Settle = (status: 'approved' | 'denied' | 'expired') => void;

/**
 * Approval requests: created by a gate, resolved once by a person (or by precedent), bound to
 * the hash of the exact arguments, used once. Decisions are folded from the request's events,
 * so two approvers racing cannot both win; the table is the queue others read.
 */
export function createHitlService(options: { db: Kysely<unknown>; store: EventStore; now: () => Date }) {
  const { db, store, now } = options;
  const indexes = new Map<string, Promise<PrecedentIndex>>();
  const waiters = new Map<string, Settle[]>();

  const row = async (org: string, requestId: string): Promise<HitlRow | undefined> => {
    const { rows } =
      await sql<HitlRow>`SELECT * FROM hitl_requests WHERE org = ${org} AND id = ${requestId}`.execute(db);
    return rows[0];
  };

  const fold = async (org: string, requestId: string) => {
    const events = await store.readSubject({ org, subject: subjectOf(requestId) });
    let state = initialHitlState();
    for (const event of events) state = evolveHitl(state, event as Parameters<typeof evolveHitl>[1]);
    return { state, version: events.length };
  };

  const precedentIndex = (org: string): Promise<PrecedentIndex> => {
    let index = indexes.get(org);
    if (!index) {
      index = (async () => {
        const built = new PrecedentIndex();
        const { rows } = await sql<HitlRow>`
          SELECT * FROM hitl_requests WHERE org = ${org} AND status IN ('approved', 'denied')
            AND auto = false AND precedent_revoked = false`.execute(db);
        for (const r of rows)
          addPrecedent(built, r, r.decision as 'approve' | 'deny', r.remember, r.resolved_by ?? 'unknown');
        return built;
      })();
      indexes.set(org, index);
    }
    return index;
  };

  function addPrecedent(
    index: PrecedentIndex,
    r: HitlRow,
    decision: 'approve' | 'deny',
    remember: boolean,
    by: string,
  ) {
    index.add({
      requestId: r.id,
      target: r.target,
      argClass: r.arg_class,
      decision,
      remember,
      decidedBy: by,
      text: r.summary,
    });
  }

  const settle = (requestId: string, status: 'approved' | 'denied' | 'expired') => {
    const list = waiters.get(requestId);
    waiters.delete(requestId);
    for (const release of list ?? []) release(status);
  };

  const service = {
    async request(
      input: HitlRequestInput,
    ): Promise<{ requestId: string; status: 'pending' | 'approved'; view: HitlView }> {
      const requestId = newId('hitl');
      const risk = assessRisk({ kind: input.kind, target: input.target, dlp: input.dlp });
      const argClass = classOf(input.args);
      const created = now();
      const expiresAt = new Date(created.getTime() + input.timeoutSeconds * 1000);
      const match = (await precedentIndex(input.org)).match({
        target: input.target,
        argClass,
        text: input.summary,
        risk,
        threshold: input.autoApproveThreshold,
      });
      const context = {
        rulesMatched: input.rulesMatched,
        dlp: input.dlp,
        ...(input.agent ? { agent: input.agent } : {}),
      };
      const requested = {
        type: 'cp.hitl.requested' as const,
        subject: subjectOf(requestId),
        actor: input.actor,
        meta: input.meta ?? {},
        data: {
          requestId,
          kind: input.kind,
          target: input.target,
          argsSha256: input.argsSha256,
          argClass,
          risk,
          summary: input.summary.slice(0, 2_000),
          reason: input.reason.slice(0, 500),
          rulesMatched: input.rulesMatched,
          dlp: input.dlp,
          ...(input.agent ? { agent: input.agent } : {}),
          expiresAt: expiresAt.toISOString(),
        },
      };
      const auto = match.approve
        ? [
            {
              type: 'cp.hitl.resolved' as const,
              subject: subjectOf(requestId),
              actor: { kind: 'system' as const, id: 'precedents' },
              meta: input.meta ?? {},
              data: {
                requestId,
                decision: 'approve' as const,
                remember: false,
                auto: true,
                precedents: match.cited,
              },
            },
          ]
        : [];
      await store.append({
        org: input.org,
        events: [requested, ...auto],
        expectedVersions: { [subjectOf(requestId)]: 0 },
      });
      await sql`INSERT INTO hitl_requests (id, org, kind, target, args_sha256, arg_class, risk, summary, reason, context,
          status, created_at, expires_at, resolved_at, decision, resolved_by, auto)
        VALUES (${requestId}, ${input.org}, ${input.kind}, ${input.target}, ${input.argsSha256}, ${argClass}, ${risk},
          ${requested.data.summary}, ${requested.data.reason}, ${JSON.stringify(context)},
          ${match.approve ? 'approved' : 'pending'}, ${created}, ${expiresAt},
          ${match.approve ? created : null}, ${match.approve ? 'approve' : null}, ${match.approve ? 'precedents' : null},
          ${match.approve})`.execute(db);
      const stored = await row(input.org, requestId);
      return { requestId, status: match.approve ? 'approved' : 'pending', view: hitlView(stored!) };
    },

    async resolve(input: {
      org: string;
      requestId: string;
      decision: 'approve' | 'deny';
      remember: boolean;
      note?: string | undefined;
      actor: Actor;
    }) {
      const { state, version } = await fold(input.org, input.requestId);
      const at = now();
      try {
        decideResolve(state, at);
        await store.append({
          org: input.org,
          events: [
            {
              type: 'cp.hitl.resolved',
              subject: subjectOf(input.requestId),
              actor: input.actor,
              data: {
                requestId: input.requestId,
                decision: input.decision,
                remember: input.remember,
                auto: false,
                ...(input.note ? { note: input.note } : {}),
              },
            },
          ],
          expectedVersions: { [subjectOf(input.requestId)]: version },
        });
      } catch (error) {
        throw toApiError(error);
      }
      await sql`UPDATE hitl_requests SET status = ${input.decision === 'approve' ? 'approved' : 'denied'},
          resolved_at = ${at}, decision = ${input.decision}, remember = ${input.remember}, note = ${input.note ?? null},
          resolved_by = ${input.actor.id}
        WHERE org = ${input.org} AND id = ${input.requestId}`.execute(db);
      const stored = (await row(input.org, input.requestId))!;
      addPrecedent(await precedentIndex(input.org), stored, input.decision, input.remember, input.actor.id);
      settle(input.requestId, input.decision === 'approve' ? 'approved' : 'denied');
      return hitlView(stored);
    },

    /** Lets an approved call through once; refuses other arguments, a second use, or no approval. */
    async consume(input: HitlConsumeInput) {
      const { state, version } = await fold(input.org, input.requestId);
      try {
        decideConsume(state, input.argsSha256);
        await store.append({
          org: input.org,
          events: [
            {
              type: 'cp.hitl.consumed',
              subject: subjectOf(input.requestId),
              actor: input.actor,
              data: { requestId: input.requestId },
            },
          ],
          expectedVersions: { [subjectOf(input.requestId)]: version },
        });
      } catch (error) {
        throw toApiError(error);
      }
      await sql`UPDATE hitl_requests SET consumed = true WHERE org = ${input.org} AND id = ${input.requestId}`.execute(
        db,
      );
    },

    /** Denies by default every pending request past its deadline; each is an event. */
    async expireDue(): Promise<number> {
      const at = now();
      const { rows } = await sql<{ id: string; org: string }>`
        SELECT id, org FROM hitl_requests WHERE status = 'pending' AND expires_at <= ${at} LIMIT 500`.execute(
        db,
      );
      let expired = 0;
      for (const due of rows) {
        const { state, version } = await fold(due.org, due.id);
        if (state.status !== 'pending') continue;
        try {
          await store.append({
            org: due.org,
            events: [
              {
                type: 'cp.hitl.expired',
                subject: subjectOf(due.id),
                actor: { kind: 'system', id: 'hitl-timeout' },
                data: { requestId: due.id, decision: 'deny' },
              },
            ],
            expectedVersions: { [subjectOf(due.id)]: version },
          });
        } catch (error) {
          if (error instanceof ConcurrencyError) continue;
          throw error;
        }
        await sql`UPDATE hitl_requests SET status = 'expired', resolved_at = ${at}, decision = 'deny', resolved_by = 'hitl-timeout'
          WHERE org = ${due.org} AND id = ${due.id}`.execute(db);
        settle(due.id, 'expired');
        expired++;
      }
      return expired;
    },

    /**
     * Resolves once the request is decided: at once when it already is (also after a restart,
     * from the stored state), otherwise when the decision arrives. Each waiter is released once.
     */
    async waitFor(input: { org: string; requestId: string }): Promise<'approved' | 'denied' | 'expired'> {
      const promise = new Promise<'approved' | 'denied' | 'expired'>((resolve) => {
        waiters.set(input.requestId, [...(waiters.get(input.requestId) ?? []), resolve]);
      });
      const current = await row(input.org, input.requestId);
      if (!current) throw apiError('not_found', `no approval request ${input.requestId}`);
      if (current.status !== 'pending') settle(input.requestId, current.status);
      return promise;
    },

    /** Applies decisions made by other server processes, seen on the event stream. */
    async observe(event: EventEnvelope): Promise<void> {
      const requestId = (event.data as { requestId?: string }).requestId;
      if (!requestId) return;
      if (event.type === 'cp.hitl.resolved' || event.type === 'cp.hitl.expired') {
        const decision = (event.data as { decision: 'approve' | 'deny' }).decision;
        settle(
          requestId,
          event.type === 'cp.hitl.expired' ? 'expired' : decision === 'approve' ? 'approved' : 'denied',
        );
      }
      if (event.type === 'cp.hitl.precedent.revoked') (await indexes.get(event.org))?.revoke(requestId);
      // A person's decision made by another process becomes a precedent here too (adding is idempotent).
      const data = event.data as { decision?: 'approve' | 'deny'; remember?: boolean; auto?: boolean };
      const index = indexes.get(event.org);
      if (event.type === 'cp.hitl.resolved' && !data.auto && data.decision && index) {
        const request = await row(event.org, requestId);
        if (request)
          addPrecedent(await index, request, data.decision, data.remember ?? false, event.actor.id);
      }
    },

    async get(input: { org: string; requestId: string }): Promise<HitlView> {
      const found = await row(input.org, input.requestId);
      if (!found) throw apiError('not_found', `no approval request ${input.requestId}`);
      return hitlView(found);
    },

    async list(input: {
      org: string;
      status?: string | undefined;
      kind?: string | undefined;
      before?: string | undefined;
      limit: number;
    }) {
      const cursor = input.before ? decodeCursor(input.before) : undefined;
      const { rows } = await sql<HitlRow>`
        SELECT * FROM hitl_requests WHERE org = ${input.org}
          ${input.status ? sql`AND status = ${input.status}` : sql``}
          ${input.kind ? sql`AND kind = ${input.kind}` : sql``}
          ${cursor ? sql`AND (created_at, id) < (${cursor.at}, ${cursor.id})` : sql``}
        ORDER BY created_at DESC, id DESC LIMIT ${input.limit + 1}`.execute(db);
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      const next =
        rows.length > input.limit && last ? encodeCursor(new Date(last.created_at), last.id) : null;
      return { requests: page.map(hitlView), next };
    },

    async precedents(input: { org: string }) {
      const { rows } = await sql<HitlRow>`
        SELECT * FROM hitl_requests WHERE org = ${input.org} AND status IN ('approved', 'denied')
          AND auto = false AND precedent_revoked = false ORDER BY resolved_at DESC LIMIT 500`.execute(db);
      return rows.map(hitlView);
    },

    async revokePrecedent(input: { org: string; requestId: string; actor: Actor }) {
      const found = await row(input.org, input.requestId);
      if (!found || found.auto || !found.resolved_at || found.precedent_revoked) {
        throw apiError('not_found', `no active precedent ${input.requestId}`);
      }
      await store.append({
        org: input.org,
        events: [
          {
            type: 'cp.hitl.precedent.revoked',
            subject: subjectOf(input.requestId),
            actor: input.actor,
            data: { requestId: input.requestId },
          },
        ],
      });
      await sql`UPDATE hitl_requests SET precedent_revoked = true WHERE org = ${input.org} AND id = ${input.requestId}`.execute(
        db,
      );
      (await precedentIndex(input.org)).revoke(input.requestId);
    },
  };
  return service;
}

export type HitlService = ReturnType<typeof createHitlService>;

function toApiError(error: unknown) {
  if (error instanceof ConcurrencyError)
    return apiError('conflict', 'the request was resolved by someone else first');
  if (error instanceof HitlError) {
    if (error.status === 404) return apiError('not_found', error.message);
    if (error.status === 409) return apiError('conflict', error.message);
    return error;
  }
  return error;
}

const encodeCursor = (at: Date, id: string) =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    return { at: new Date(at), id };
  } catch {
    throw apiError('validation_failed', 'query.before: not a cursor from a previous page');
  }
}
