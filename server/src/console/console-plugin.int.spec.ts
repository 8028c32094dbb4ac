import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../http/error-handler.js';
import { consoleSite } from './plugin.js';

const BOOT = 'window.start = 1;';
const PAGE = `<!doctype html><html><head><script type="module" src="/_app/immutable/entry/start.abc.js"></script></head><body><script>${BOOT}</script></body></html>`;

async function appOn(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.get('/api/ping', async () => ({ ok: true }));
  await app.register(consoleSite, { root });
  await app.ready();
  return app;
}

describe('the console plugin', () => {
  const dirs: string[] = [];
  let built: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'proofpane-console-build-'));
    const empty = mkdtempSync(join(tmpdir(), 'proofpane-console-empty-'));
    dirs.push(root, empty);
    mkdirSync(join(root, '_app', 'immutable', 'entry'), { recursive: true });
    writeFileSync(join(root, 'index.html'), PAGE);
    writeFileSync(join(root, '_app', 'immutable', 'entry', 'start.abc.js'), 'export const a = 1;');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    built = await appOn(root);
    bare = await appOn(empty);
  });

  afterAll(async () => {
    await built?.close();
    await bare?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('answers console URLs with the SPA page under a CSP that allows exactly its inline script', async () => {
    for (const url of ['/', '/members', '/runs/run_1?popout=1', '/invitations/accept']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(PAGE);
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      const hash = createHash('sha256').update(BOOT).digest('base64');
      expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it('serves hashed assets with a year-long immutable cache and other files briefly', async () => {
    const asset = await built.inject({ method: 'GET', url: '/_app/immutable/entry/start.abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('export const a = 1;');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await built.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=300');
  });

  it('leaves API paths and missing assets to the API 404', async () => {
    for (const url of ['/api/nope', '/v1/nope', '/.well-known/nope', '/_app/immutable/missing.js']) {
      const res = await built.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await built.inject({ method: 'GET', url: '/api/ping' })).json()).toEqual({ ok: true });
  });

  it('says how to build the console when it is not built, and still serves the API', async () => {
    const res = await bare.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build -w @proofpane/web');
    expect((await bare.inject({ method: 'GET', url: '/members' })).body).toContain('has not been built');
    expect((await bare.inject({ method: 'GET', url: '/api/ping' })).statusCode).toBe(200);
  });

  it('refuses the chain head without a credential', async () => {
    const res = await built.inject({ method: 'GET', url: '/api/console/head' });
    expect(res.statusCode).toBe(401);
  });
});
