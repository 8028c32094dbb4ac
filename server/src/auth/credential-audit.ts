import type { EventStore } from '@proofpane/core';

/** At most one event per credential and minute: a client retrying a dead credential in a loop must not flood the chain. */
export const CREDENTIAL_AUDIT_EVERY_MS = 60_000;
const MAX_TRACKED = 10_000;

export type RefusedCredential =
  | { credential: 'api_key'; reason: 'revoked'; keyId: string }
  | { credential: 'session_token'; reason: 'expired' | 'not_member'; userId: string }
  | { credential: 'device_token'; reason: 'revoked'; deviceId: string };

/** When this process last audited each credential, per store (one per server). */
const auditedAt = new WeakMap<EventStore, Map<string, number>>();

function subjectOf(refused: RefusedCredential): string {
  switch (refused.credential) {
    case 'api_key':
      return `credential/api-key/${refused.keyId}`;
    case 'session_token':
      return `credential/session/${refused.userId}`;
    case 'device_token':
      return `credential/device/${refused.deviceId}`;
  }
}

function actorOf(refused: RefusedCredential) {
  switch (refused.credential) {
    case 'api_key':
      return { kind: 'apikey' as const, id: refused.keyId };
    case 'session_token':
      return { kind: 'user' as const, id: refused.userId };
    case 'device_token':
      return { kind: 'device' as const, id: refused.deviceId };
  }
}

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
  const subject = subjectOf(refused);
  const key = `${org}\u0000${subject}`;
  const last = seen.get(key);
  if (last !== undefined && now.getTime() - last < CREDENTIAL_AUDIT_EVERY_MS && now.getTime() >= last) return;
  if (seen.size >= MAX_TRACKED) {
    for (const [k, at] of seen) if (now.getTime() - at >= CREDENTIAL_AUDIT_EVERY_MS) seen.delete(k);
    if (seen.size >= MAX_TRACKED) seen.clear();
  }
  seen.set(key, now.getTime());
  const { credential: _credential, ...ids } = refused;
  try {
    await store.append({
      org,
      events: [
        {
          type: 'cp.identity.credential.refused',
          subject,
          actor: actorOf(refused),
          data: { credential: refused.credential, ...ids },
        },
      ],
    });
  } catch (error) {
    options.onError(error);
  }
}
