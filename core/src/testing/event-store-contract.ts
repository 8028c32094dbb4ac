import { type Kysely, sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../crypto/sha256.js';
import {
  ConcurrencyError,
  InvalidEventError,
  StoreClosedError,
  UnknownEventTypeError,
} from '../errors/index.js';
import { canonicalJson, type EventEnvelope, GENESIS_PREV } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';
import type { Database } from '../store/postgres/database.js';
import { noted } from './test-catalogue.js';

/** An event as an adapter keeps it: the hashed text (JCS of the envelope without `hash`) and the hash. */
export interface StoredEvent {
  body: string;
  hash: string;
}

/**
 * Writes below an adapter's API, playing an attacker who reached its storage, so the contract can
 * check that `verifyChain` names every kind of tampering. Adapters whose storage a test cannot
 * reach (a real KurrentDB server) have none.
 */
export interface TamperHooks {
  read(org: string, seq: number): Promise<StoredEvent>;
  /** Overwrites the stored event at `seq`, append-only guards lifted. */
  write(org: string, seq: number, stored: StoredEvent): Promise<void>;
  /** Removes the event at `seq`, leaving a gap. */
  remove(org: string, seq: number): Promise<void>;
}

export interface ContractSubject {
  store: EventStore;
  /** A second, independent store over the same storage: another writer, as another process would be. */
  openPeer(): Promise<EventStore>;
  dispose(): Promise<void>;
  tamper?: TamperHooks;
  /** The SQL database holding the events, for the checks of its append-only triggers (SQL stores). */
  database?: Database;
  /** The SQL database the store writes `inline` rows to, in the append's transaction. */
  inlineDatabase?: Kysely<unknown>;
}

/** What an adapter can be asked beyond the EventStore interface; the contract runs the checks each allows. */
export interface ContractFeatures {
  tamper: boolean;
  /** Events in a SQL table guarded by append-only triggers. */
  sqlTable: boolean;
  /** `inline` writes (rows committed with the events). */
  inline: boolean;
}

const hashOf = (e: EventEnvelope) => {
  const { hash: _, ...rest } = e;
  return sha256Hex(canonicalJson(rest));
};

async function withTriggersOff(database: Database, statement: ReturnType<typeof sql>) {
  await sql`ALTER TABLE events DISABLE TRIGGER USER`.execute(database.db);
  try {
    await statement.execute(database.db);
  } finally {
    await sql`ALTER TABLE events ENABLE TRIGGER USER`.execute(database.db);
  }
}

/** The tamper hooks of the SQL stores: UPDATE and DELETE on the events table with its triggers off. */
export function sqlTamperHooks(database: Database): TamperHooks {
  return {
    async read(org, seq) {
      const { rows } = await sql<StoredEvent>`
        SELECT body, hash FROM events WHERE org = ${org} AND seq = ${seq}`.execute(database.db);
      if (!rows[0]) throw new Error(`no event ${org}/${seq}`);
      return rows[0];
    },
    write: (org, seq, stored) =>
      withTriggersOff(
        database,
        sql`UPDATE events SET body = ${stored.body}, hash = ${stored.hash} WHERE org = ${org} AND seq = ${seq}`,
      ),
    remove: (org, seq) =>
      withTriggersOff(database, sql`DELETE FROM events WHERE org = ${org} AND seq = ${seq}`),
  };
}

/** A table standing in for an inline read model: one row per noted event, unique per org and `n`. */
async function inlineTable(db: Kysely<unknown>) {
  await sql`CREATE TABLE IF NOT EXISTS contract_inline_rows
    (org text NOT NULL, n int NOT NULL, seq bigint NOT NULL, PRIMARY KEY (org, n))`.execute(db);
}

const insertRow =
  (org: string, n: number) => async (trx: Transaction<unknown>, appended: EventEnvelope[]) => {
    await sql`INSERT INTO contract_inline_rows (org, n, seq) VALUES (${org}, ${n}, ${appended[0]!.seq})`.execute(
      trx,
    );
  };

async function inlineRows(db: Kysely<unknown>, org: string) {
  const { rows } = await sql<{ n: number; seq: string }>`
    SELECT n, seq::text AS seq FROM contract_inline_rows WHERE org = ${org} ORDER BY n`.execute(db);
  return rows.map((r) => ({ n: r.n, seq: Number(r.seq) }));
}

/**
 * The behaviour every EventStore adapter must show; run it once per adapter and driver. The checks
 * that need more than the interface (tampering below it, SQL triggers, inline rows) run where
 * `features` says the adapter offers them.
 */
export function eventStoreContract(
  name: string,
  open: () => Promise<ContractSubject>,
  features: ContractFeatures = { tamper: true, sqlTable: true, inline: true },
) {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let orgCounter = 0;
    const newOrg = () => `org_contract_${Date.now().toString(36)}_${++orgCounter}`;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject.dispose();
    });

    it('hashes and links as specified, and reads back exactly what it returned', async () => {
      const org = newOrg();
      const appended = await store.append({ org, events: [noted(1), noted(2), noted(3, 'item/1')] });
      expect(appended.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(appended[0]!.prev).toBe(GENESIS_PREV);
      expect(appended[1]!.prev).toBe(appended[0]!.hash);
      expect(appended[2]!.prev).toBe(appended[1]!.hash);
      for (const e of appended) {
        expect(e.hash).toBe(hashOf(e));
        expect(e.org).toBe(org);
        expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
      }
      expect(appended.map((e) => e.subjectVersion)).toEqual([1, 1, 2]);
      expect(await store.readOrg({ org })).toEqual(appended);
      expect(await store.readSubject({ org, subject: 'item/1' })).toEqual([appended[0], appended[2]]);
      expect(await store.head(org)).toEqual({ seq: 3, hash: appended[2]!.hash });
      expect(await store.head(newOrg())).toBeNull();
      expect(await store.hashes({ org, toSeq: 2 })).toEqual([appended[0]!.hash, appended[1]!.hash]);
      expect(await store.hashes({ org, fromSeq: 2, toSeq: 2 })).toEqual([appended[1]!.hash]);
    });

    it('extends the chain across many sequential appends', async () => {
      const org = newOrg();
      for (let i = 1; i <= 23; i++) await store.append({ org, events: [noted(i, 'item/same')] });
      const events = await store.readOrg({ org });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
      expect(events.map((e) => e.subjectVersion)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
      expect((await store.verifyChain({ org })).ok).toBe(true);
    });

    it('stays correct when another writer moved the chain behind its back', async () => {
      const org = newOrg();
      const peer = await subject.openPeer();
      await store.append({ org, events: [noted(1, 'shared/one')] });
      await peer.append({ org, events: [noted(2, 'shared/one'), noted(3, 'shared/two')] });
      const [third] = await store.append({ org, events: [noted(4, 'shared/one')] });
      expect(third).toMatchObject({ seq: 4, subjectVersion: 3 });
      await peer.append({ org, events: [noted(5, 'shared/two')] });
      await store.append({ org, events: [noted(6, 'shared/two')], expectedVersions: { 'shared/two': 2 } });
      expect((await store.readSubject({ org, subject: 'shared/two' })).map((e) => e.subjectVersion)).toEqual([
        1, 2, 3,
      ]);
      expect(await store.verifyChain({ org })).toMatchObject({ ok: true, checked: 6 });
      await peer.close();
    });

    it('batches concurrent appends into one gapless chain per org, orgs in parallel', async () => {
      const orgs = [newOrg(), newOrg(), newOrg()];
      await Promise.all(
        orgs.flatMap((org) =>
          Array.from({ length: 60 }, (_, i) => store.append({ org, events: [noted(i)] })),
        ),
      );
      for (const org of orgs) {
        const events = await store.readOrg({ org });
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(await store.verifyChain({ org })).toEqual({
          ok: true,
          checked: 60,
          head: await store.head(org),
        });
      }
    });

    it('refuses a stale expected subject version with a typed error and keeps the others', async () => {
      const org = newOrg();
      await store.append({ org, events: [noted(1, 'case/a')], expectedVersions: { 'case/a': 0 } });
      const results = await Promise.allSettled([
        store.append({ org, events: [noted(2, 'case/a')], expectedVersions: { 'case/a': 1 } }),
        store.append({ org, events: [noted(3, 'case/a')], expectedVersions: { 'case/a': 1 } }),
        store.append({ org, events: [noted(4, 'case/b')] }),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 'fulfilled')).toHaveLength(2);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ConcurrencyError);
      expect(refused.reason).toMatchObject({ code: 'concurrency_conflict', expected: 1, actual: 2 });
      await expect(
        store.append({ org, events: [noted(5, 'case/new')], expectedVersions: { 'case/new': 3 } }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.verifyChain({ org })).ok).toBe(true);
    });

    it('refuses unknown types and payloads that fail their schema, naming the field', async () => {
      const org = newOrg();
      await expect(
        store.append({ org, events: [{ ...noted(1), type: 'cp.test.unknown' }] }),
      ).rejects.toBeInstanceOf(UnknownEventTypeError);
      const bad = store.append({ org, events: [{ ...noted(1), data: { n: 'one', extra: true } }] });
      await expect(bad).rejects.toBeInstanceOf(InvalidEventError);
      await expect(bad).rejects.toThrow(/data\.n/);
      await expect(store.append({ org, events: [{ ...noted(1), subject: 'no slash' }] })).rejects.toThrow(
        /subject/,
      );
      expect(await store.head(org)).toBeNull();
    });

    it('reads everything in commit order with a resumable cursor and a type filter', async () => {
      const org = newOrg();
      await store.append({
        org,
        events: [
          noted(1),
          { type: 'cp.test.flagged', subject: 'item/1', data: { reason: 'x' }, actor: noted(1).actor },
        ],
      });
      const all: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.readAll({ after, limit: 7 });
        if (page.length === 0) break;
        all.push(...page.filter((p) => p.event.org === org).map((p) => p.event.type));
        after = page[page.length - 1]!.cursor;
      }
      expect(all).toEqual(['cp.test.noted', 'cp.test.flagged']);
      const flagged = await store.readAll({ types: ['cp.test.flagged'], limit: 10_000 });
      expect(flagged.every((p) => p.event.type === 'cp.test.flagged')).toBe(true);
      expect(flagged.some((p) => p.event.org === org)).toBe(true);
      expect(await store.orgs()).toContain(org);
    });

    it('lists every org that has events, each once', async () => {
      const orgs = [newOrg(), newOrg(), newOrg()];
      for (const org of orgs) await store.append({ org, events: [noted(1), noted(2), noted(3)] });
      const listed = await store.orgs();
      expect(new Set(listed).size).toBe(listed.length);
      for (const org of orgs) expect(listed).toContain(org);
    });

    it('subscribes from the latest cursor to get only new events', async () => {
      const org = newOrg();
      await store.append({ org, events: [noted(1)] });
      const after = await store.latestCursor();
      expect(await store.readAll({ after })).toEqual([]);
      await store.append({ org, events: [noted(2)] });
      const fresh = await store.readAll({ after });
      expect(fresh.map((p) => [p.event.org, p.event.seq])).toEqual([[org, 2]]);
    });

    it('subscribes: catches up, then delivers new events as they commit', async () => {
      const org = newOrg();
      await store.append({ org, events: [noted(1)] });
      const seen: number[] = [];
      let release: () => void = () => {};
      const gotThree = new Promise<void>((resolve) => {
        release = resolve;
      });
      const subscription = store.subscribe({
        onEvents: (batch) => {
          for (const p of batch) if (p.event.org === org) seen.push(p.event.seq);
          if (seen.length >= 3) release();
        },
      });
      await store.append({ org, events: [noted(2)] });
      await store.append({ org, events: [noted(3)] });
      await gotThree;
      await subscription.close();
      expect(seen).toEqual([1, 2, 3]);
    });

    it('a live subscriber with gatherMs reads commits that land close together as one batch', async () => {
      const org = newOrg();
      await store.append({ org, events: [noted(1)] });
      const batches: number[][] = [];
      const waiters: { count: number; resolve: () => void }[] = [];
      const seenCount = () => batches.flat().length;
      const seenAtLeast = (count: number) =>
        new Promise<void>((resolve) => {
          if (seenCount() >= count) resolve();
          else waiters.push({ count, resolve });
        });
      const subscription = store.subscribe({
        gatherMs: 300,
        onEvents: (batch) => {
          const mine = batch.filter((p) => p.event.org === org).map((p) => p.event.seq);
          if (mine.length > 0) batches.push(mine);
          for (const w of waiters) if (seenCount() >= w.count) w.resolve();
        },
      });
      await seenAtLeast(1);
      for (const n of [2, 3, 4]) await store.append({ org, events: [noted(n)] });
      await seenAtLeast(4);
      await subscription.close();
      expect(batches).toEqual([[1], [2, 3, 4]]);
    });

    it('follows chosen orgs by seq: only theirs, in order, from each position, other writers included', async () => {
      const [watched, other, ignored] = [newOrg(), newOrg(), newOrg()];
      await store.append({ org: watched, events: [noted(1), noted(2)] });
      const positions = new Map([
        [watched, 1],
        [other, 0],
      ]);
      const seen: [string, number][] = [];
      const follower = store.followOrgs({
        positions: () => positions,
        onEvents: (events) => {
          for (const e of events) {
            seen.push([e.org, e.seq]);
            positions.set(e.org, e.seq);
          }
        },
      });
      const peer = await subject.openPeer();
      try {
        await store.append({ org: ignored, events: [noted(1)] });
        await store.append({ org: watched, events: [noted(3)] });
        await peer.append({ org: other, events: [noted(1), noted(2)] });
        await expect.poll(() => seen.length, { timeout: 3_000 }).toBe(4);
        const of = (org: string) => seen.filter(([o]) => o === org).map(([, seq]) => seq);
        expect(of(watched)).toEqual([2, 3]);
        expect(of(other)).toEqual([1, 2]);
        expect(of(ignored)).toEqual([]);
      } finally {
        await follower.close();
        await peer.close();
      }
    });

    if (features.tamper)
      it('names the first broken seq for every kind of tampering', async () => {
        const tamper = subject.tamper!;
        const build = async () => {
          const org = newOrg();
          await store.append({ org, events: Array.from({ length: 6 }, (_, i) => noted(i + 1)) });
          return org;
        };

        const changed = await build();
        const third = await tamper.read(changed, 3);
        await tamper.write(changed, 3, { ...third, body: third.body.replace('"n":3', '"n":33') });
        expect(await store.verifyChain({ org: changed })).toMatchObject({
          ok: false,
          seq: 3,
          reason: 'hash does not match the envelope',
        });

        const deleted = await build();
        await tamper.remove(deleted, 4);
        expect(await store.verifyChain({ org: deleted })).toMatchObject({
          ok: false,
          seq: 4,
          reason: 'seq 4 is missing',
        });

        const swapped = await build();
        const [second, thirdOfSwapped] = [await tamper.read(swapped, 2), await tamper.read(swapped, 3)];
        await tamper.write(swapped, 2, thirdOfSwapped);
        await tamper.write(swapped, 3, second);
        expect(await store.verifyChain({ org: swapped })).toMatchObject({
          ok: false,
          seq: 2,
          reason: 'envelope says seq 3',
        });

        const victim = await build();
        const other = await build();
        await tamper.write(victim, 5, await tamper.read(other, 5));
        expect(await store.verifyChain({ org: victim })).toMatchObject({
          ok: false,
          seq: 5,
          reason: `envelope belongs to org ${other}`,
        });

        const rehashed = await build();
        const [original] = await store.readOrg({ org: rehashed, fromSeq: 3, toSeq: 3 });
        const { hash: _old, ...forged } = { ...original!, data: { n: 999 } };
        const body = canonicalJson(forged);
        await tamper.write(rehashed, 3, { body, hash: sha256Hex(body) });
        expect(await store.verifyChain({ org: rehashed })).toMatchObject({
          ok: false,
          seq: 4,
          reason: 'prev does not match the hash of seq 3',
        });
        expect(await store.verifyChain({ org: rehashed, toSeq: 3 })).toMatchObject({ ok: true, checked: 3 });
      });

    if (features.sqlTable) {
      it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
        const { db } = subject.database!;
        const org = newOrg();
        await store.append({ org, events: [noted(1)] });
        await expect(sql`UPDATE events SET type = 'x' WHERE org = ${org}`.execute(db)).rejects.toThrow(
          /append-only/,
        );
        await expect(sql`DELETE FROM events WHERE org = ${org}`.execute(db)).rejects.toThrow(/append-only/);
        await expect(sql`TRUNCATE events`.execute(db)).rejects.toThrow(/append-only/);
        expect(await store.head(org)).toMatchObject({ seq: 1 });
      });
    }

    if (features.inline) {
      it('an inline write commits with its events: the rows see the envelopes as appended', async () => {
        const db = subject.inlineDatabase!;
        await inlineTable(db);
        const org = newOrg();
        await store.append({ org, events: [noted(1)] });
        let seen: EventEnvelope[] = [];
        const appended = await store.append({
          org,
          events: [noted(2), noted(3)],
          inline: async (trx, events) => {
            seen = events;
            await insertRow(org, 2)(trx, events);
          },
        });
        expect(seen).toEqual(appended);
        expect(await store.readOrg({ org })).toEqual([expect.anything(), ...appended]);
        expect(await inlineRows(db, org)).toEqual([{ n: 2, seq: 2 }]);
        expect((await store.verifyChain({ org })).ok).toBe(true);
      });

      it('a throwing inline write leaves no event and no row, and the next append takes its place', async () => {
        const db = subject.inlineDatabase!;
        await inlineTable(db);
        const org = newOrg();
        await store.append({ org, events: [noted(1)] });
        const refused = new Error('the row was refused');
        await expect(
          store.append({
            org,
            events: [noted(2)],
            inline: async (trx, events) => {
              await insertRow(org, 2)(trx, events);
              throw refused;
            },
          }),
        ).rejects.toBe(refused);
        expect(await store.head(org)).toMatchObject({ seq: 1 });
        expect(await inlineRows(db, org)).toEqual([]);
        const [next] = await store.append({ org, events: [noted(3)] });
        expect(next).toMatchObject({ seq: 2 });
        expect(await store.verifyChain({ org })).toMatchObject({ ok: true, checked: 2 });
      });

      it("a database error in an inline write is the caller's: rejected as raised, not retried as a fork", async () => {
        const db = subject.inlineDatabase!;
        await inlineTable(db);
        const org = newOrg();
        await store.append({ org, events: [noted(1)], inline: insertRow(org, 1) });
        let calls = 0;
        const duplicate = store.append({
          org,
          events: [noted(1, 'item/again')],
          inline: async (trx, events) => {
            calls += 1;
            await insertRow(org, 1)(trx, events);
          },
        });
        await expect(duplicate).rejects.toMatchObject({ code: '23505' });
        expect(calls).toBe(1);
        expect(await store.head(org)).toMatchObject({ seq: 1 });
      });

      it('an inline append with a stale expected version is refused before its rows are written', async () => {
        const db = subject.inlineDatabase!;
        await inlineTable(db);
        const org = newOrg();
        const results = await Promise.allSettled(
          [1, 2].map((n) =>
            store.append({
              org,
              events: [noted(n, 'case/once')],
              expectedVersions: { 'case/once': 0 },
              inline: insertRow(org, n),
            }),
          ),
        );
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(refused.reason).toBeInstanceOf(ConcurrencyError);
        expect(await inlineRows(db, org)).toHaveLength(1);
        expect(await store.head(org)).toMatchObject({ seq: 1 });
      });

      it('inline and plain appends racing, some rows failing, from two writers: one gapless chain', async () => {
        const db = subject.inlineDatabase!;
        await inlineTable(db);
        const org = newOrg();
        const peer = await subject.openPeer();
        try {
          const results = await Promise.allSettled(
            Array.from({ length: 45 }, (_, i) => {
              const writer = i % 2 === 0 ? store : peer;
              if (i % 3 !== 0) return writer.append({ org, events: [noted(i, `plain/${i}`)] });
              return writer.append({
                org,
                events: [noted(i, `inline/${i}`)],
                inline: async (trx, events) => {
                  await insertRow(org, i)(trx, events);
                  if (i % 9 === 0) throw new Error(`row ${i} refused`);
                },
              });
            }),
          );
          const failed = results.filter((r) => r.status === 'rejected');
          expect(failed).toHaveLength(5);
          const events = await store.readOrg({ org });
          expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
          expect(await store.verifyChain({ org })).toMatchObject({ ok: true, checked: 40 });
          const rows = await inlineRows(db, org);
          expect(rows.map((r) => r.n)).toEqual([3, 6, 12, 15, 21, 24, 30, 33, 39, 42]);
          const bySeq = new Map(events.map((e) => [e.seq, e]));
          for (const row of rows) expect(bySeq.get(row.seq)?.subject).toBe(`inline/${row.n}`);
          expect(
            events.some((e) => e.subject.startsWith('inline/') && Number(e.subject.slice(7)) % 9 === 0),
          ).toBe(false);
        } finally {
          await peer.close();
        }
      });
    }

    it('drains appends in flight on close and refuses new ones', async () => {
      const extra = await open();
      const org = newOrg();
      const inFlight = Array.from({ length: 40 }, (_, i) => extra.store.append({ org, events: [noted(i)] }));
      await extra.store.close();
      const settled = await Promise.allSettled(inFlight);
      expect(settled.every((r) => r.status === 'fulfilled')).toBe(true);
      await expect(extra.store.append({ org, events: [noted(99)] })).rejects.toBeInstanceOf(StoreClosedError);
      await extra.dispose();
    });
  });
}
