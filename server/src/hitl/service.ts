import type { HitlRequest } from '@proofpane/api';
import {
  expireApproval,
  type HitlConsumeInput,
  type HitlRequestInput,
  handleHitlCommand,
  PrecedentIndex,
  precedentQuery,
  requestApproval,
} from '@proofpane/commands';
import {
  type Actor,
  ConcurrencyError,
  type EventEnvelope,
  type EventStore,
  type InlineWrite,
  newId,
} from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { writeHitlRows } from './rows.js';
import { type HitlRow, hitlView } from './tables.js';

export type { HitlRequestInput };

export const DEFAULT_AUTO_APPROVE_THRESHOLD = 2.5;

type Settle = (status: 'approved' | 'denied' | 'expired') => void;

/**
 * The queue row the append writes in its own transaction, kept for the caller: `row()` is the
 * request as the committed append left it.
 */
function queueRows(at: Date): { inline: InlineWrite; row: () => HitlRow } {
  let written: HitlRow | undefined;
  return {
    inline: async (trx, appended) => {
      written = await writeHitlRows(trx, appended, at);
    },
    row: () => {
      if (!written) throw new Error('the HITL append wrote no queue row');
      return written;
    },
  };
}

/**
 * Approval requests: the rules live in the HITL decider (`@proofpane/commands`); this wires them to
 * the clock, the ids, the org's precedent index, the queue table others read and the in-process
 * waiters.
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
      input: HitlRequestInput & { requestId?: string | undefined },
    ): Promise<{ requestId: string; status: 'pending' | 'approved'; view: HitlRequest }> {
      const { org, actor, meta, requestId: chosenId, ...asked } = input;
      const requestId = chosenId ?? newId('hitl');
      const at = now();
      const support = (await precedentIndex(org)).match(precedentQuery(asked));
      const rows = queueRows(at);
      await requestApproval({
        store,
        org,
        actor,
        meta: meta ?? {},
        command: { ...asked, type: 'request', requestId, now: at, support },
        inline: rows.inline,
      });
      const stored = rows.row();
      return {
        requestId,
        status: stored.status === 'approved' ? 'approved' : 'pending',
        view: hitlView(stored),
      };
    },

    async resolve(input: {
      org: string;
      requestId: string;
      decision: 'approve' | 'deny';
      remember: boolean;
      note?: string | undefined;
      actor: Actor;
    }) {
      const { org, requestId, decision, remember, note, actor } = input;
      const at = now();
      const rows = queueRows(at);
      try {
        await handleHitlCommand({
          store,
          org,
          actor,
          command: { type: 'resolve', requestId, decision, remember, note, now: at },
          inline: rows.inline,
        });
      } catch (error) {
        throw toApiError(error, 'already_resolved');
      }
      const stored = rows.row();
      addPrecedent(await precedentIndex(org), stored, decision, remember, actor.id);
      settle(requestId, decision === 'approve' ? 'approved' : 'denied');
      return hitlView(stored);
    },

    /** Lets an approved call through once; refuses other arguments, a second use, or no approval. */
    async consume(input: HitlConsumeInput) {
      const { org, requestId, argsSha256, actor } = input;
      try {
        await handleHitlCommand({
          store,
          org,
          actor,
          command: { type: 'consume', requestId, argsSha256 },
          inline: queueRows(now()).inline,
        });
      } catch (error) {
        throw toApiError(error);
      }
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
        try {
          const denied = await expireApproval({
            store,
            org: due.org,
            requestId: due.id,
            inline: queueRows(at).inline,
          });
          if (denied.length === 0) continue;
        } catch (error) {
          if (error instanceof ConcurrencyError) continue;
          throw error;
        }
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

    async get(input: { org: string; requestId: string }): Promise<HitlRequest> {
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
      const { org, requestId, actor } = input;
      try {
        await handleHitlCommand({
          store,
          org,
          actor,
          command: { type: 'revoke-precedent', requestId },
          inline: queueRows(now()).inline,
        });
      } catch (error) {
        throw toApiError(error);
      }
      (await precedentIndex(org)).revoke(requestId);
    },
  };
  return service;
}

export type HitlService = ReturnType<typeof createHitlService>;

/**
 * A HITL refusal leaves with its own catalogue code (`already_resolved`, `hitl_unknown`, …); the error
 * handler renders it. A race the kit's retries did not settle is, on a resolution, someone else's
 * resolution getting there first.
 */
function toApiError(error: unknown, lostRace: 'already_resolved' | 'conflict' = 'conflict') {
  if (error instanceof ConcurrencyError)
    return apiError(lostRace, 'the request was resolved by someone else first');
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
