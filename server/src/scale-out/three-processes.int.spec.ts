import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_STREAM_EVENT } from '@proofpane/api';
import { PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase } from '@proofpane/core/testing';
import { frameValues } from '@proofpane/daemon';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ServerProcess, startServe } from './testing/processes.js';

type Json = Record<string, unknown>;

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, text };
}

/** Reads an SSE response into a list of audit events as they arrive. */
function auditStream(base: string, token: string) {
  const seen: Json[] = [];
  const controller = new AbortController();
  const opened = fetch(`${base}/api/audit/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  }).then(async (res) => {
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (name === AUDIT_STREAM_EVENT && data) seen.push(JSON.parse(data) as Json);
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted
      }
    })();
  });
  return { seen, opened, close: () => controller.abort() };
}

// Three real processes on one PostgreSQL database: PostgreSQL only, so registered only when it is there.
if (process.env.DATABASE_URL) {
  describe('two api processes, one projector and worker, on one PostgreSQL', () => {
    let test: TestDatabase;
    let dataDir: string;
    let worker: ServerProcess;
    let a: ServerProcess;
    let b: ServerProcess;
    let token: string;
    let org: string;

    beforeAll(async () => {
      test = await createTestDatabase('postgres');
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-scale-out-'));
      // What every process of a deployment shares: database, secrets and keys.
      const env = {
        DATABASE_URL: test.url!,
        PROOFPANE_DATA_DIR: dataDir,
        PROOFPANE_JWT_SECRET: randomBytes(32).toString('hex'),
        PROOFPANE_MASTER_KEY: randomBytes(32).toString('base64'),
        PROOFPANE_SIGNING_KEY: randomBytes(32).toString('base64'),
        PROOFPANE_SCRYPT_COST: '10',
        // The events table hash-partitioned by org: the layout a large deployment chooses.
        PROOFPANE_EVENTS_PARTITIONS: '4',
      };
      // The projector migrates the read models; the api processes start once it has.
      worker = await startServe({ args: ['--role', 'projector,worker'], env });
      [a, b] = await Promise.all([
        startServe({ args: ['--role', 'api'], env }),
        startServe({ args: ['--role', 'api'], env }),
      ]);
      const registered = await call(a.url, 'POST', '/api/auth/register', {
        body: {
          email: `scale-${Date.now()}@example.test`,
          password: `scale ${randomBytes(8).toString('hex')}`,
          orgName: 'Scale',
        },
      });
      expect(registered.status, registered.text).toBe(201);
      token = registered.body.token as string;
      org = (registered.body.org as { id: string }).id;
    }, 120_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop(), worker?.stop()]);
      await test?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('serves the API from api processes only, and runs each once-per-deployment loop in one process', async () => {
      expect((await call(worker.url, 'GET', '/healthz')).status).toBe(200);
      expect((await call(worker.url, 'GET', '/api/auth/me', { token })).status).toBe(404);
      expect((await call(b.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
      const locks = await until(async () => {
        const { rows } = await sql<{ pid: number; key: number }>`
          SELECT pid, objid::int AS key FROM pg_locks
          WHERE locktype = 'advisory' AND classid = ${0x5050} AND granted`.execute(test.database.db);
        return rows.length >= 3 ? rows : undefined;
      }, 'the worker to take its loop leases');
      expect(new Set(locks.map((l) => l.pid)).size).toBe(1);
      const { rows } = await sql<{ partitions: number }>`
        SELECT count(*)::int AS partitions FROM pg_inherits WHERE inhparent = 'events'::regclass`.execute(
        test.database.db,
      );
      expect(rows[0]?.partitions).toBe(4);
    });

    it('shows every event on SSE clients of either api process, and one unforked chain', async () => {
      const onA = auditStream(a.url, token);
      const onB = auditStream(b.url, token);
      await Promise.all([onA.opened, onB.opened]);
      const head = (await call(a.url, 'GET', '/api/auth/me', { token })).status;
      expect(head).toBe(200);
      const before = await test.database.db
        .selectFrom(sql`events`.as('e') as never)
        .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
        .where(sql`org`, '=', org)
        .executeTakeFirstOrThrow();
      const calls = Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? a.url : b.url, 'POST', '/v1/chat/completions', {
          token,
          body: { model: 'demo', messages: [{ role: 'user', content: `hello ${i}` }] },
        }),
      );
      for (const res of await Promise.all(calls)) expect(res.status, res.text).toBe(200);
      const store = await PostgresEventStore.open({ database: test.database });
      try {
        const after = (await store.readOrg({ org, fromSeq: Number(before.seq) + 1 })).map((e) => e.id);
        expect(after.length).toBeGreaterThan(12);
        for (const stream of [onA, onB])
          await until(
            async () => (after.every((id) => stream.seen.some((e) => e.id === id)) ? true : undefined),
            'every event on the stream',
          );
        expect((await store.verifyChain({ org })).ok).toBe(true);
      } finally {
        onA.close();
        onB.close();
        await store.close();
      }
    });

    it('keeps the budget exact across both api processes', async () => {
      expect((await call(a.url, 'PUT', '/api/budget', { token, body: { monthlyUsdCap: 5 } })).status).toBe(
        200,
      );
      const calls = Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? a.url : b.url, 'POST', '/v1/chat/completions', {
          token,
          body: { model: 'demo', max_tokens: 50, messages: [{ role: 'user', content: `spend ${i}` }] },
        }),
      );
      for (const res of await Promise.all(calls)) expect(res.status, res.text).toBe(200);
      const store = await PostgresEventStore.open({ database: test.database });
      const events = await store.readOrg({ org });
      await store.close();
      const settled = events
        .filter((e) => e.type === 'cp.gate.budget.settled')
        .reduce((sum, e) => sum + Number((e.data as Json).actualMicros), 0);
      const { rows } = await sql<{ spent: string; reserved: string }>`
        SELECT spent_micros::text AS spent, reserved_micros::text AS reserved FROM budget_months WHERE org = ${org}`.execute(
        test.database.db,
      );
      expect(rows.map((r) => Number(r.spent))).toEqual([settled]);
      expect(Number(rows[0]!.spent) + Number(rows[0]!.reserved)).toBeLessThanOrEqual(5_000_000);
    });

    it('refuses a key revoked through the other api process', async () => {
      const created = await call(a.url, 'POST', '/api/api-keys', {
        token,
        body: { name: 'ci', role: 'admin' },
      });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect((await call(a.url, 'GET', '/api/auth/me', { token: key })).status).toBe(200);
      expect(
        (await call(b.url, 'DELETE', `/api/api-keys/${created.body.id as string}`, { token })).status,
      ).toBe(204);
      await until(
        async () =>
          (await call(a.url, 'GET', '/api/auth/me', { token: key })).status === 401 ? true : undefined,
        'process A to refuse the revoked key',
      );
    });

    it('routes device calls and releases HITL waiters across processes', async () => {
      expect(
        (
          await call(a.url, 'PUT', '/api/policy', {
            token,
            body: { hitl: { tools: ['write'], timeoutSeconds: 600 } },
          })
        ).status,
      ).toBe(200);
      const code = (await call(a.url, 'POST', '/api/devices/pairing-codes', { token })).body.code as string;
      const paired = await call(a.url, 'POST', '/api/devices/pair', {
        body: { code, name: 'laptop', platform: 'linux' },
      });
      expect(paired.status).toBeLessThan(300);
      const { deviceId, token: deviceToken } = paired.body as { deviceId: string; token: string };

      // A fake daemon on process A answers every tool call with the tool's name.
      const socket = new WebSocket(`${a.url.replace('http', 'ws')}/api/devices/ws`, {
        headers: { authorization: `Bearer ${deviceToken}` },
      });
      socket.on('message', (raw) => {
        for (const value of frameValues(raw.toString()) ?? []) {
          const message = value as { type?: string; id?: string; tool?: string };
          if (message.type === 'tool.call')
            socket.send(
              JSON.stringify({
                type: 'tool.result',
                id: message.id,
                ok: true,
                result: { content: `ran ${message.tool}` },
                durationMs: 1,
              }),
            );
        }
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      try {
        // Process B learns of the device over the bus and routes the call to A.
        const listed = await until(async () => {
          const res = await call(b.url, 'GET', '/api/devices', { token });
          const devices = (res.body.devices ?? []) as { id: string; connected: boolean }[];
          return devices.find((d) => d.id === deviceId && d.connected);
        }, 'process B to see the device connected');
        expect(listed.connected).toBe(true);
        const ran = await call(b.url, 'POST', '/api/tools/call', {
          token,
          body: { tool: 'read', args: { path: 'notes.txt' }, deviceId },
        });
        expect(ran.status, ran.text).toBe(200);
        expect(JSON.stringify(ran.body)).toContain('ran read');

        // A held MCP call waits on process A; a reviewer approves it on process B.
        const gate = await call(a.url, 'POST', '/api/mcp/gate', {
          token: deviceToken,
          body: { vendor: 'cursor', tool: 'write', args: { path: 'a.txt', content: 'x' } },
        });
        expect(gate.body.decision).toBe('hitl_required');
        const requestId = gate.body.hitlRequestId as string;
        const waiting = call(a.url, 'GET', `/api/mcp/gate/${requestId}?waitSeconds=25`, {
          token: deviceToken,
        });
        const resolved = await call(b.url, 'POST', `/api/hitl/${requestId}/resolve`, {
          token,
          body: { decision: 'approve' },
        });
        expect(resolved.status, resolved.text).toBeLessThan(300);
        expect((await waiting).body.status).toBe('approved');
      } finally {
        socket.close();
      }
    });
  });
}
