import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { apiError } from '../http/errors.js';
import { identityTestEnv } from '../identity/testing/identity-test-app.js';
import { openRuntime } from '../runtime/runtime.js';

const API_KEY = 'pp_apikeyNeverReported0123456789abcdef';
const PROVIDER_KEY = 'sk-proj-providerKeyNeverReported0123';
const COOKIE = 'session=cookieNeverReported0123456789';
const BODY_TEXT = 'body text never reported: patient 4711';

/** A stand-in for Sentry's ingest: every envelope posted to it, decompressed. */
async function startReceiver(): Promise<{ server: Server; url: string; envelopes: string[] }> {
  const envelopes: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://publickey@127.0.0.1:${port}/42`, envelopes };
}

for (const driver of testDrivers) {
  describe(`error reporting to Sentry on ${driver}`, () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let database: TestDatabase;
    let dataDir: string;

    beforeAll(async () => {
      receiver = await startReceiver();
      database = await createTestDatabase(driver);
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-sentry-'));
    });
    afterAll(async () => {
      await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
      await new Promise((resolve) => receiver.server.close(resolve));
    });

    it('sends an unexpected error with its route and request id, and nothing of the request or its secrets', async () => {
      const config = loadConfig({
        ...identityTestEnv,
        PROOFPANE_DATA_DIR: dataDir,
        PROOFPANE_PRICE_REFRESH: 'off',
        LOG_LEVEL: 'silent',
        SENTRY_DSN: receiver.url,
      });
      const runtime = await openRuntime({ config, database: database.database });
      const app = await buildApp({ runtime, logger: false });
      app.post('/api/test/unexpected', async () => {
        // As a vendor SDK might word it: the key it was given, echoed in the message.
        throw new TypeError(`upstream refused ${PROVIDER_KEY} (authorization: Bearer ${API_KEY})`);
      });
      app.post('/api/test/refused', async () => {
        throw apiError('bad_request', 'an ordinary refusal, not worth a report');
      });
      await app.ready();
      const headers = {
        authorization: `Bearer ${API_KEY}`,
        'x-api-key': API_KEY,
        cookie: COOKIE,
        'x-request-id': 'req-sentry-spec-1',
      };
      const failed = await app.inject({
        method: 'POST',
        url: `/api/test/unexpected?token=${API_KEY}`,
        headers,
        payload: { text: BODY_TEXT, providerKey: PROVIDER_KEY },
      });
      expect(failed.statusCode).toBe(500);
      const refused = await app.inject({
        method: 'POST',
        url: '/api/test/refused',
        headers,
        payload: { text: BODY_TEXT },
      });
      expect(refused.statusCode).toBe(400);
      // Closing flushes the reporter: every event is at the receiver once it resolves.
      await app.close();
      await runtime.close();

      const events = receiver.envelopes.filter((e) => e.includes('"type":"event"'));
      expect(events).toHaveLength(1);
      const envelope = events[0] ?? '';
      expect(envelope).toContain('TypeError');
      expect(envelope).toContain('upstream refused');
      expect(envelope).toContain('/api/test/unexpected');
      expect(envelope).toContain('req-sentry-spec-1');
      for (const secret of [API_KEY, PROVIDER_KEY, COOKIE, 'cookieNeverReported', BODY_TEXT, 'patient 4711'])
        expect(envelope, secret).not.toContain(secret);
      expect(envelope).not.toContain('an ordinary refusal');
    });
  });
}
