import type { EventData, EventStore, NewEvent } from '@proofpane/core';

/** A credential the server could attribute to an org, presented after it stopped working. */
export type RefusedCredential =
  | { credential: 'api_key'; reason: 'revoked'; keyId: string }
  | { credential: 'session_token'; reason: 'expired' | 'not_member'; userId: string }
  | { credential: 'device_token'; reason: 'revoked'; deviceId: string };

/** At most one event per credential and minute: a client retrying a dead credential in a loop must not flood the chain. */
export const CREDENTIAL_AUDIT_EVERY_MS = 60_000;

export function refusedCredentialSubject(refused: RefusedCredential): string {
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
 * Whether a refusal is audited, given when the same credential's last one was (undefined: never, as far
 * as this process knows). A clock that went back audits again rather than staying silent for a minute.
 */
export const refusalAuditDue = (lastAuditedAt: number | undefined, now: number): boolean =>
  lastAuditedAt === undefined || now < lastAuditedAt || now - lastAuditedAt >= CREDENTIAL_AUDIT_EVERY_MS;

/** The refusal as an event on the credential's own subject, by the credential's holder, naming it by id only. */
export function credentialRefusedEvent(
  refused: RefusedCredential,
): NewEvent<'cp.identity.credential.refused', EventData<'cp.identity.credential.refused'>> {
  const { credential: _credential, ...ids } = refused;
  return {
    type: 'cp.identity.credential.refused',
    subject: refusedCredentialSubject(refused),
    actor: actorOf(refused),
    data: { credential: refused.credential, ...ids },
  };
}

/** Records `cp.identity.credential.refused` in the org that issued the credential. */
export async function recordRefusedCredential(options: {
  store: EventStore;
  org: string;
  refused: RefusedCredential;
}): Promise<void> {
  await options.store.append({ org: options.org, events: [credentialRefusedEvent(options.refused)] });
}
