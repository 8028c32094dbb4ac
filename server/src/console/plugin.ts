import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { consoleCsp } from './csp.js';
import { chainHeadRoute } from './head-route.js';

export interface ConsoleOptions {
  /** The built console (`web/build`); by default the one beside this package in the repository. */
  root?: string;
}

/** `web/build` from both `server/src/console` and `server/dist/console`. */
export const defaultConsoleRoot = resolve(fileURLToPath(new URL('../../../web/build', import.meta.url)));

/** Paths that belong to the API, never to the console's client-side router. */
const API_PATHS = /^\/(api|v1|\.well-known)(\/|$)/;
const IMMUTABLE = '/_app/immutable/';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Proofpane</title></head>
<body><main><h1>Proofpane is running</h1>
<p>The API is up, but the governance console has not been built yet.</p>
<p>Build it with <code>npm run build -w @proofpane/web</code> (or <code>make run</code>, which builds everything), then restart the server.</p>
<p>The API reference is at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

/**
 * Serves the governance console from the same process and port as the API: hashed assets with a
 * year-long immutable cache, every other console URL answered by the SPA's fallback page under a
 * strict CSP, and API paths left to the API's own 404. Encapsulated: its static decorators stay inside.
 */
export const consoleSite: FastifyPluginAsync<ConsoleOptions> = async (app, options) => {
  await app.register(chainHeadRoute);
  const root = options.root ?? defaultConsoleRoot;
  const indexFile = join(root, 'index.html');
  const built = existsSync(indexFile);
  const html = built ? readFileSync(indexFile, 'utf8') : NOT_BUILT;
  const csp = consoleCsp(html);

  const sendPage = (reply: FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', csp)
      .header('x-frame-options', 'DENY')
      .send(html);

  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      serveDotFiles: false,
      cacheControl: false,
      setHeaders: (reply, path) => {
        const normalised = path.replaceAll('\\', '/');
        reply.header(
          'cache-control',
          normalised.includes(IMMUTABLE) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        );
        if (normalised.endsWith('.html')) reply.header('content-security-policy', csp);
      },
    });
  }

  app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (API_PATHS.test(path) || path.startsWith('/_app/')) return reply.callNotFound();
    return sendPage(reply);
  });
};

/** `consoleSite` in the app, where `/api/console/head` authenticates through identity. */
export const consolePlugin: FastifyPluginAsync<ConsoleOptions> = fp(
  async (app, options) => {
    await app.register(consoleSite, options);
  },
  { name: 'proofpane-console', dependencies: ['proofpane-identity'] },
);
