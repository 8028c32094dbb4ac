import { type Actor, type EventStore, newId } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { type CrossVendorSuite, suiteSubject } from './suite.js';
import { suiteDecider } from './suite-decide.js';

/** Records a new suite under a fresh id; refused with `cross_vendor_suite_invalid` and its problems. */
export async function createCrossVendorSuite(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  suite: Omit<CrossVendorSuite, 'suiteId'>;
  suiteId?: string;
}): Promise<CrossVendorSuite> {
  const suiteId = options.suiteId ?? newId('cvs');
  const suite: CrossVendorSuite = { suiteId, ...options.suite };
  await handleCommand({
    store: options.store,
    org: options.org,
    subject: suiteSubject(suiteId),
    decider: suiteDecider,
    command: { type: 'create', suite },
    actor: options.actor,
  });
  return suite;
}

/** A suite of the org as its events tell it; null when the org has none with this id. */
export async function readCrossVendorSuite(options: {
  store: EventStore;
  org: string;
  suiteId: string;
}): Promise<(CrossVendorSuite & { createdAt: string }) | null> {
  const events = await options.store.readSubject({
    org: options.org,
    subject: suiteSubject(options.suiteId),
  });
  const created = events.find((e) => e.type === 'cp.cross_vendor.suite.created');
  return created ? { ...(created.data as CrossVendorSuite), createdAt: created.time } : null;
}
