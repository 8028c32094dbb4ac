import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../events/envelope.js';
import { createTestDatabase } from '../../testing/databases.js';
import {
  type ContractSubject,
  eventStoreContract,
  type TamperHooks,
} from '../../testing/event-store-contract.js';
import { type FakeKurrentDb, type FakeRecord, startFakeKurrentDb } from '../../testing/fake-kurrentdb.js';
import { noted, testCatalogue } from '../../testing/test-catalogue.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

/** Opens a store (and a peer, another writer) on a KurrentDB, with a PGlite for the inline rows. */
async function subjectOn(
  connectionString: string,
): Promise<ContractSubject & { kurrent: KurrentDbEventStore }> {
  const rows = await createTestDatabase('pglite');
  const open = () =>
    KurrentDbEventStore.open({
      connectionString,
      catalogue: testCatalogue,
      pollMs: 50,
      inlineDatabase: rows.database.db,
    });
  const store = await open();
  return {
    store,
    kurrent: store,
    openPeer: open,
    inlineDatabase: rows.database.db,
    dispose: async () => {
      await store.close();
      await rows.dispose();
    },
  };
}

/** Rewrites the fake server's records: what an attacker with the server's files could do. */
function fakeTamperHooks(fake: FakeKurrentDb, streamOf: (org: string) => string): TamperHooks {
  const recordAt = (
    org: string,
    seq: number,
  ): { records: (FakeRecord | undefined)[]; record: FakeRecord } => {
    const records = fake.stream(streamOf(org));
    const record = records?.[seq - 1];
    if (!records || !record) throw new Error(`no event ${org}/${seq}`);
    return { records, record };
  };
  return {
    read: async (org, seq) => {
      const { record } = recordAt(org, seq);
      return {
        body: canonicalJson(JSON.parse(Buffer.from(record.data).toString('utf8'))),
        hash: (JSON.parse(Buffer.from(record.customMetadata).toString('utf8')) as { hash: string }).hash,
      };
    },
    write: async (org, seq, stored) => {
      const { records, record } = recordAt(org, seq);
      records[seq - 1] = {
        ...record,
        data: Buffer.from(stored.body, 'utf8'),
        customMetadata: Buffer.from(JSON.stringify({ hash: stored.hash }), 'utf8'),
      };
    },
    remove: async (org, seq) => {
      const { records } = recordAt(org, seq);
      records[seq - 1] = undefined;
    },
  };
}

// The contract on the client and the real wire protocol, against the in-process fake server; it
// advertises BatchAppend as KurrentDB servers do, so the client appends the way it would there.
eventStoreContract(
  'kurrentdb adapter on a fake KurrentDB (gRPC on loopback)',
  async () => {
    const fake = await startFakeKurrentDb({ batchAppend: true });
    const subject = await subjectOn(fake.connectionString);
    return {
      ...subject,
      tamper: fakeTamperHooks(fake, (org) => subject.kurrent.streamOf(org)),
      dispose: async () => {
        await subject.dispose();
        await fake.close();
      },
    };
  },
  { tamper: true, sqlTable: false, inline: true },
);

// The same contract on a real server, where one is reachable (a test cannot rewrite its storage).
const kurrentDbUrl = process.env.KURRENTDB_URL;
if (kurrentDbUrl)
  eventStoreContract('kurrentdb adapter on KURRENTDB_URL', () => subjectOn(kurrentDbUrl), {
    tamper: false,
    sqlTable: false,
    inline: true,
  });

describe('kurrentdb adapter on a fake KurrentDB: the stream layout', () => {
  it('keeps one stream per org, revision n holding seq n + 1, the hash in the metadata', async () => {
    const fake = await startFakeKurrentDb({ batchAppend: true });
    const store = await KurrentDbEventStore.open({
      connectionString: fake.connectionString,
      catalogue: testCatalogue,
    });
    try {
      const appended = await store.append({ org: 'org_layout', events: [noted(1), noted(2)] });
      await store.append({ org: 'org_other', events: [noted(1)] });
      const records = fake.stream('proofpane-org-org_layout')!;
      expect(records).toHaveLength(2);
      records.forEach((record, revision) => {
        const data = JSON.parse(Buffer.from(record!.data).toString('utf8'));
        expect(data).toMatchObject({ org: 'org_layout', seq: revision + 1 });
        expect(data.hash).toBeUndefined();
        expect(JSON.parse(Buffer.from(record!.customMetadata).toString('utf8'))).toEqual({
          hash: appended[revision]!.hash,
        });
        expect(record!.id).toBe(appended[revision]!.id);
        expect(record!.type).toBe('cp.test.noted');
      });
      expect(fake.stream('proofpane-org-org_other')).toHaveLength(1);
      expect((await store.orgs()).sort()).toEqual(['org_layout', 'org_other']);
      expect(fake.appends).toEqual({ append: 0, batchAppend: 2 });
    } finally {
      await store.close();
      await fake.close();
    }
  });

  it('extends one chain from two writers through Streams.Append too, where BatchAppend is not offered', async () => {
    const fake = await startFakeKurrentDb({ batchAppend: false });
    const open = () =>
      KurrentDbEventStore.open({ connectionString: fake.connectionString, catalogue: testCatalogue });
    const [one, two] = [await open(), await open()];
    try {
      await one.append({ org: 'org_plain', events: [noted(1, 'case/a')] });
      await two.append({ org: 'org_plain', events: [noted(2, 'case/a')] });
      const [third] = await one.append({ org: 'org_plain', events: [noted(3, 'case/a')] });
      expect(third).toMatchObject({ seq: 3, subjectVersion: 3 });
      await expect(
        two.append({ org: 'org_plain', events: [noted(4, 'case/a')], expectedVersions: { 'case/a': 2 } }),
      ).rejects.toMatchObject({ code: 'concurrency_conflict', expected: 2, actual: 3 });
      expect(await two.verifyChain({ org: 'org_plain' })).toMatchObject({ ok: true, checked: 3 });
      expect(fake.stream('proofpane-org-org_plain')).toHaveLength(3);
      // Four: the first writer's third append was refused on its stale revision, caught up and retried.
      expect(fake.appends).toEqual({ append: 4, batchAppend: 0 });
    } finally {
      await one.close();
      await two.close();
      await fake.close();
    }
  });

  it('refuses an inline append when it has no database for the rows, appending nothing', async () => {
    const fake = await startFakeKurrentDb();
    const store = await KurrentDbEventStore.open({
      connectionString: fake.connectionString,
      catalogue: testCatalogue,
    });
    try {
      await expect(
        store.append({ org: 'org_rows', events: [noted(1)], inline: async () => {} }),
      ).rejects.toThrow(/no database for inline rows/);
      expect(await store.head('org_rows')).toBeNull();
    } finally {
      await store.close();
      await fake.close();
    }
  });
});
