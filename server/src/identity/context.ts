import type { EventEnvelope, EventStore } from '@proofpane/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { forgetApiKeys } from './api-key-cache.js';
import type { Mailer } from './mail/mailer.js';
import { applyIdentityEvents } from './tables/apply.js';
import type { IdentityDb } from './tables/schema.js';

/** What identity routes, the auth hook and the admin CLI share. `now` is replaceable for tests. */
export interface IdentityContext {
  db: IdentityDb;
  store: EventStore;
  config: Config;
  jwtSecret: Uint8Array;
  mailer: Mailer;
  log: FastifyBaseLogger;
  now: () => Date;
}

/** After a successful append: bring the identity tables up to date with what was appended. */
export async function committed(ctx: IdentityContext, events: EventEnvelope[]): Promise<EventEnvelope[]> {
  await applyIdentityEvents({ db: ctx.db, events });
  if (events.some((e) => e.type === 'cp.identity.api-key.revoked')) forgetApiKeys(ctx);
  return events;
}
