import {
  CREDENTIAL_AUDIT_EVERY_MS,
  type RefusedCredential,
  recordRefusedCredential,
  refusalAuditDue,
  refusedCredentialSubject,
} from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';

export type { RefusedCredential };

const MAX_TRACKED = 10_000;

/** When this process last audited each credential, per store (one per server). */
const auditedAt = new WeakMap<EventStore, Map<string, number>>();

/**
 * Records `cp.identity.credential.refused` in the org that issued a credential which was presented
 * after it stopped working ("failure at any gate is itself audited"). Only credentials the server can
 * attribute to an org get here: an unknown or forged one names no org. The event names the credential
 * by id; the caller still answers 401, so a failed append is reported to `onError`, not thrown.
 */
export async function auditRefusedCredential(options: {
  store: EventStore;
  org: string;
  refused: RefusedCredential;
  now: Date;
  onError: (error: unknown) => void;
}): Promise<void> {
  const { store, org, refused, now } = options;
  let seen = auditedAt.get(store);
  if (!seen) {
    seen = new Map();
    auditedAt.set(store, seen);
  }
  const key = `${org}\u0000${refusedCredentialSubject(refused)}`;
  if (!refusalAuditDue(seen.get(key), now.getTime())) return;
  if (seen.size >= MAX_TRACKED) {
    for (const [k, at] of seen) if (now.getTime() - at >= CREDENTIAL_AUDIT_EVERY_MS) seen.delete(k);
    if (seen.size >= MAX_TRACKED) seen.clear();
  }
  seen.set(key, now.getTime());
  try {
    await recordRefusedCredential({ store, org, refused });
  } catch (error) {
    options.onError(error);
  }
}
