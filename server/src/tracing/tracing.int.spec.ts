import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

interface OtlpSpan {
  name: string;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((a) => a.key === key)?.value.stringValue;

/** A loopback OTLP HTTP receiver: keeps each export's raw text and its spans (JSON encoding). */
function startReceiver() {
  const raw: string[] = [];
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      raw.push(body);
      if (req.headers['content-type']?.includes('json')) {
        const parsed = JSON.parse(body) as {
          resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
        };
        for (const r of parsed.resourceSpans ?? [])
          for (const s of r.scopeSpans ?? []) spans.push(...(s.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return {
    raw,
    spans,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('traces over OTLP HTTP', () => {
  const receiver = startReceiver();
  let t: TestApp;
  const secretText = 'zebra-quartz-prompt-never-traced';

  beforeAll(async () => {
    const endpoint = await receiver.listen();
    t = await createIdentityTestApp({ driver: 'pglite', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } });
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('sends a span per gate, provider call and append carrying the request id, and no body or key', async () => {
    const owner = await registerAccount(t.app);
    const { key } = await createKey(t.app, { token: owner.token });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: auth(key),
      payload: { model: 'demo', messages: [{ role: 'user', content: secretText }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('[demo]');
    const requestId = res.headers['x-request-id'] as string;
    // Closing the app flushes the span processor.
    await t.dispose();

    const ofCall = receiver.spans.filter((s) => attribute(s, 'proofpane.request_id') === requestId);
    const names = new Set(ofCall.map((s) => s.name));
    for (const name of [
      'POST /v1/chat/completions',
      'gate.policy',
      'gate.budget',
      'provider.call',
      'gate.audit',
    ])
      expect(names).toContain(name);
    expect(ofCall.some((s) => s.name === 'event-store.append')).toBe(true);
    const everything = receiver.raw.join('\n');
    expect(everything).not.toContain(secretText);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(owner.token);
    expect(everything).not.toContain(res.body.slice(0, 40));
  });
});
