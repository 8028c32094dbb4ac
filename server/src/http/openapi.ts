import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

const bearerScheme = {
  type: 'http' as const,
  scheme: 'bearer',
  description: 'A session token (JWT) or an org API key (pp_…)',
};

/** A route as registered, for tools (and the tenancy test) that must see every route. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * The OpenAPI 3 description, generated from the route schemas: GET /api/openapi.json and a
 * browsable page at /api/docs. Registered before the routes so it sees all of them; it also
 * keeps `app.routeTable`, every route registered after it.
 */
export const openApiPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const routeTable: RegisteredRoute[] = [];
    app.decorate('routeTable', routeTable);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
    });
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Proofpane API',
          version: '0.1.0',
          description:
            'Authenticate with `Authorization: Bearer <session token or pp_ API key>`. Errors are RFC 9457 problem+json with a stable `code`.',
        },
        components: {
          // Routes name `bearer` (server/src/http/route-security.ts); `bearerAuth` is an alias.
          securitySchemes: { bearer: bearerScheme, bearerAuth: bearerScheme },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'proofpane-openapi' },
);

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RegisteredRoute[];
  }
}
