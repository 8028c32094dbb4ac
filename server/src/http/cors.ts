import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Cross-origin access only for the origins in PROOFPANE_CORS_ORIGINS; none by default. */
export const corsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const origins = app.runtime.config.corsOrigins;
    if (origins.length === 0) return;
    await app.register(cors, {
      origin: origins,
      credentials: false,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
    });
  },
  { name: 'proofpane-cors' },
);
