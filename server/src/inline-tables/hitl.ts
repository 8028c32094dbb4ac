import type { EventData } from '@proofpane/core';
import type { Kysely } from 'kysely';
import type { HitlRow } from '../hitl/tables.js';
import { foldEvents } from './event-pages.js';
import { deleteAll, insertRows, instant, jsonText, liveRows, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

interface ApproverRow {
  id: string;
  org: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

type Requested = EventData<'cp.hitl.requested'>;

interface Resolved {
  requestId: string;
  decision: 'approve' | 'deny';
  remember: boolean;
  note?: string;
  auto: boolean;
}

const HITL_TYPES = [
  'cp.hitl.requested',
  'cp.hitl.resolved',
  'cp.hitl.expired',
  'cp.hitl.consumed',
  'cp.hitl.precedent.revoked',
  'cp.hitl.approver.paired',
  'cp.hitl.approver.revoked',
];

type Derived = Omit<HitlRow, 'created_at' | 'resolved_at'> & {
  requestedAt: string;
  resolvedAt: string | null;
};

/**
 * `hitl_requests` (the queue, and the precedents: its resolved rows by a person, not revoked) and
 * `hitl_approvers`. Every request column is derived from the request's `cp.hitl.*` events except the
 * instants `created_at` and `resolved_at`, kept from the live row (the service's clock a moment before
 * the event's time, which fills them in when a row lost them). An approver's org, name, creator, expiry
 * and revocation come from its events; `token_hash` (a secret), `created_at` and the `revoked_at`
 * instant are kept by id, and an approver whose row is gone is unrecoverable (pair it again).
 * `hitl_approver_codes` is not rebuilt: no event records a code.
 */
export const hitlTables: InlineTableGroup = {
  name: 'hitl',
  tables: ['hitl_requests', 'hitl_approvers'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    const liveRequests = await liveRows<HitlRow>(trx, 'hitl_requests', (r) => r.id);
    const liveApprovers = await liveRows<ApproverRow>(trx, 'hitl_approvers', (r) => r.id);
    const requests = new Map<string, Derived>();
    const approvers = new Map<
      string,
      {
        org: string;
        name: string;
        createdBy: string;
        expiresAt: string;
        pairedAt: string;
        revokedAt?: string;
      }
    >();
    const events = await foldEvents(trx, HITL_TYPES, (event) => {
      const requestId = (event.data as { requestId?: string }).requestId;
      const request = requestId === undefined ? undefined : requests.get(requestId);
      switch (event.type) {
        case 'cp.hitl.requested': {
          const d = event.data as unknown as Requested;
          const context = {
            rulesMatched: d.rulesMatched,
            dlp: d.dlp,
            ...(d.agent ? { agent: d.agent } : {}),
            ...(d.choices ? { choices: d.choices } : {}),
          };
          requests.set(d.requestId, {
            id: d.requestId,
            org: event.org,
            kind: d.kind,
            target: d.target,
            args_sha256: d.argsSha256,
            arg_class: d.argClass,
            risk: d.risk,
            summary: d.summary,
            reason: d.reason,
            context: JSON.stringify(context),
            status: 'pending',
            requestedAt: event.time,
            expires_at: new Date(d.expiresAt),
            resolvedAt: null,
            decision: null,
            remember: false,
            note: null,
            resolved_by: null,
            auto: false,
            consumed: false,
            precedent_revoked: false,
          });
          break;
        }
        case 'cp.hitl.resolved': {
          if (!request) break;
          const d = event.data as unknown as Resolved;
          request.status = d.decision === 'approve' ? 'approved' : 'denied';
          request.resolvedAt = event.time;
          request.decision = d.decision;
          request.remember = d.remember;
          request.note = d.note ?? null;
          // The service names a precedent's auto-approval `precedents`, the actor of its event.
          request.resolved_by = event.actor.id;
          request.auto = d.auto;
          break;
        }
        case 'cp.hitl.expired':
          if (!request) break;
          request.status = 'expired';
          request.resolvedAt = event.time;
          request.decision = 'deny';
          request.resolved_by = event.actor.id;
          break;
        case 'cp.hitl.consumed':
          if (request) request.consumed = true;
          break;
        case 'cp.hitl.precedent.revoked':
          if (request) request.precedent_revoked = true;
          break;
        case 'cp.hitl.approver.paired': {
          const d = event.data as { approverId: string; name: string; expiresAt: string };
          approvers.set(d.approverId, {
            org: event.org,
            name: d.name,
            createdBy: event.actor.id,
            expiresAt: d.expiresAt,
            pairedAt: event.time,
          });
          break;
        }
        case 'cp.hitl.approver.revoked': {
          const approver = approvers.get((event.data as { approverId: string }).approverId);
          if (approver) approver.revokedAt ??= event.time;
          break;
        }
      }
    });

    const requestRows: HitlRow[] = [...requests.values()].map(({ requestedAt, resolvedAt, ...d }) => {
      const live = liveRequests.get(d.id);
      return {
        ...d,
        context: jsonText(live?.context, JSON.parse(d.context)),
        created_at: instant(live?.created_at, requestedAt),
        resolved_at: resolvedAt === null ? null : instant(live?.resolved_at, resolvedAt),
      };
    });
    let lost = 0;
    const approverRows: ApproverRow[] = [];
    for (const [id, a] of approvers) {
      const live = liveApprovers.get(id);
      if (!live) {
        lost += 1;
        continue;
      }
      approverRows.push({
        id,
        org: a.org,
        name: a.name,
        token_hash: live.token_hash,
        created_by: a.createdBy,
        created_at: instant(live.created_at, a.pairedAt),
        expires_at: new Date(a.expiresAt),
        revoked_at: a.revokedAt === undefined ? null : instant(live.revoked_at, a.revokedAt),
      });
    }
    await deleteAll(trx, 'hitl_requests');
    await deleteAll(trx, 'hitl_approvers');
    await insertRows(trx, 'hitl_requests', requestRows);
    await insertRows(trx, 'hitl_approvers', approverRows);
    return {
      events,
      rows: { hitl_requests: requestRows.length, hitl_approvers: approverRows.length },
      unrecoverable: { hitl_approvers: lost },
    };
  },
};
