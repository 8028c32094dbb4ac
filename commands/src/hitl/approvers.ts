import type { Actor, EventData, EventStore, InlineWrite, NewEvent } from '@proofpane/core';

/** How long a paired approver's token works before the app must be paired again. */
export const APPROVER_TOKEN_DAYS = 90;

export const approverSubject = (approverId: string) => `approver/${approverId}`;

/**
 * A desktop approver paired with an admin's code: it acts for that admin, so the admin is the actor, and
 * its token expires `APPROVER_TOKEN_DAYS` after pairing. The token itself never enters the chain.
 */
export function approverPairedEvent(options: {
  approverId: string;
  name: string;
  pairedBy: string;
  pairedAt: Date;
}): NewEvent<'cp.hitl.approver.paired', EventData<'cp.hitl.approver.paired'>> {
  const expiresAt = new Date(options.pairedAt.getTime() + APPROVER_TOKEN_DAYS * 86_400_000);
  return {
    type: 'cp.hitl.approver.paired',
    subject: approverSubject(options.approverId),
    actor: { kind: 'user', id: options.pairedBy },
    data: { approverId: options.approverId, name: options.name, expiresAt: expiresAt.toISOString() },
  };
}

/**
 * Records the pairing; `writeRow` writes the approver's row (with its token hash, which lives only in the
 * table) in the same transaction, so a token never works without its pairing in the chain.
 */
export async function recordApproverPaired(options: {
  store: EventStore;
  org: string;
  approverId: string;
  name: string;
  pairedBy: string;
  pairedAt: Date;
  writeRow: (trx: Parameters<InlineWrite>[0], expiresAt: Date) => Promise<void>;
}): Promise<{ expiresAt: string }> {
  const { store, org, writeRow, ...pairing } = options;
  const event = approverPairedEvent(pairing);
  const expiresAt = new Date(event.data.expiresAt);
  await store.append({ org, events: [event], inline: (trx) => writeRow(trx, expiresAt) });
  return { expiresAt: event.data.expiresAt };
}

/** An admin revoked a paired desktop approver; the event names it, never its token. */
export function approverRevokedEvent(options: {
  approverId: string;
  name: string;
  actor: Actor;
}): NewEvent<'cp.hitl.approver.revoked', EventData<'cp.hitl.approver.revoked'>> {
  return {
    type: 'cp.hitl.approver.revoked',
    subject: approverSubject(options.approverId),
    actor: options.actor,
    data: { approverId: options.approverId, name: options.name },
  };
}

/**
 * Records a revocation; `writeRow` marks the row revoked in the same transaction and throws when
 * another revocation won the race, so an approver is revoked by exactly one event.
 */
export async function recordApproverRevoked(options: {
  store: EventStore;
  org: string;
  approverId: string;
  name: string;
  actor: Actor;
  writeRow: (trx: Parameters<InlineWrite>[0]) => Promise<void>;
}): Promise<void> {
  const { store, org, writeRow, ...revocation } = options;
  await store.append({ org, events: [approverRevokedEvent(revocation)], inline: (trx) => writeRow(trx) });
}
