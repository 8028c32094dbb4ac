import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { requireRole } from '../auth/index.js';
import { ApiError, type ErrorCode } from '../http/errors.js';
import { auditInvalid, openScope, scopeOf, timingHeader } from './call-scope.js';
import { GatewayRefusal } from './commands.js';
import type { GatewayContext } from './context.js';
import { runGoverned } from './governed-route.js';
import { listModels } from './models-list.js';
import { registerMoreV1Routes } from './v1-more-routes.js';
import { vendorErrorBody, vendorErrorStatus, vendorOf } from './vendor-errors.js';
import { anthropicMessages, openAiChat } from './wire/formats.js';

/** The code a /v1 error answers with; `status` only where it is not the code's catalogue status. */
function classify(error: FastifyError): {
  code: ErrorCode;
  status?: number;
  message: string;
  audit: boolean;
  hitlRequestId?: string | undefined;
} {
  if (error instanceof GatewayRefusal)
    return { code: error.code, message: error.message, audit: false, hitlRequestId: error.hitlRequestId };
  if (error instanceof ApiError)
    // Input refused at the edge (text the server never stores) is a refusal like any other: audited.
    return {
      code: error.code,
      status: error.status,
      message: error.message,
      audit: error.code === 'validation_failed',
    };
  const status = error.statusCode ?? 500;
  if (status === 413)
    return { code: 'invalid_request', status, message: 'the request body is too large', audit: true };
  if (status >= 400 && status < 500) return { code: 'invalid_request', message: error.message, audit: true };
  return {
    code: 'internal',
    message: 'an unexpected error occurred; the request id identifies it',
    audit: false,
  };
}

/**
 * The vendor-compatible surface: `/v1/chat/completions`, `/v1/models`, `/v1/messages`. Errors here leave in
 * the vendor's shape (SDKs parse them), not as problem+json; every answer names its request id.
 */
export function v1Routes(ctx: GatewayContext): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      openScope(request, reply);
      const apiKey = request.headers['x-api-key'];
      if (
        !request.headers.authorization &&
        typeof apiKey === 'string' &&
        (request.url.startsWith('/v1/messages') || request.url.startsWith('/v1/models'))
      )
        request.headers.authorization = `Bearer ${apiKey}`;
    });
    app.addHook('onSend', async (request, reply) => {
      const scope = scopeOf(request);
      if (scope && !reply.hasHeader('server-timing')) reply.header('server-timing', timingHeader(scope));
    });
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const scope = scopeOf(request);
      const requestId = scope?.requestId ?? String(request.id);
      const c = classify(error);
      const status = vendorErrorStatus(c);
      if (status >= 500) request.log.error({ err: error }, 'gateway request failed');
      // A refused call is audited; a refused listing (GET /v1/models) was never a call.
      if (c.audit && request.method === 'POST') {
        const route =
          vendorOf(request.url) === 'anthropic' ? 'anthropic.messages' : 'openai.chat.completions';
        await auditInvalid({ ctx, request, route, message: c.message }).catch(() => {});
      }
      if (status === 401) reply.header('www-authenticate', 'Bearer realm="proofpane"');
      return reply
        .status(status)
        .type('application/json; charset=utf-8')
        .send(
          vendorErrorBody({
            vendor: vendorOf(request.url),
            status,
            code: c.code,
            message: c.message,
            requestId,
            hitlRequestId: c.hitlRequestId,
          }),
        );
    });

    app.post('/v1/chat/completions', { onRequest: requireRole('member') }, (request, reply) =>
      runGoverned({ ctx, wire: openAiChat, request, reply }),
    );
    app.post('/v1/messages', { onRequest: requireRole('member') }, (request, reply) =>
      runGoverned({ ctx, wire: anthropicMessages, request, reply }),
    );
    registerMoreV1Routes(app, ctx);
    app.get('/v1/models', { onRequest: requireRole('member') }, (request) => listModels(ctx, request));
  };
}
