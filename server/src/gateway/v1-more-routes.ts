import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requireRole } from '../auth/index.js';
import { auditInvalid, buildCall, scopeOf, timingHeader } from './call-scope.js';
import { type GatewayCall, GatewayRefusal, type GatewayRoute } from './commands.js';
import type { GatewayContext } from './context.js';
import { runGoverned } from './governed-route.js';
import { countTokensBody, fromCountTokens } from './wire/count-tokens.js';
import { embeddingInputs, embeddingRequest, embeddingsBody, toOpenAiEmbeddings } from './wire/embeddings.js';
import { openAiResponses } from './wire/responses-format.js';
import { parseWire, withUnknown } from './wire/strict-parse.js';

const issues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');

/** Parses the body and builds the call; a refusal here (bad body, unknown model, run headers) is audited. */
async function callFor<S extends z.ZodType>(options: {
  ctx: GatewayContext;
  request: FastifyRequest;
  route: GatewayRoute;
  schema: S;
  body: (parsed: z.infer<S>) => Omit<GatewayCall['request'], 'provider'>;
}): Promise<{ call: GatewayCall; parsed: z.infer<S> }> {
  const { ctx, request, route } = options;
  const requestId = scopeOf(request)!.requestId;
  try {
    const parsed = parseWire(options.schema, request.body);
    if (!parsed.success) throw new GatewayRefusal('invalid_request', issues(parsed.error), requestId);
    const body = withUnknown(options.body(parsed.data), parsed.unknown);
    const call = buildCall({ ctx, request, route, stream: false, body });
    return { call, parsed: parsed.data };
  } catch (error) {
    if (error instanceof GatewayRefusal) await auditInvalid({ ctx, request, route, message: error.message });
    throw error;
  }
}

/**
 * `/v1/responses`, `/v1/embeddings` and `/v1/messages/count_tokens`, registered inside the `/v1` scope so
 * they share its request id, authentication and vendor-shaped errors.
 */
export function registerMoreV1Routes(app: FastifyInstance, ctx: GatewayContext): void {
  app.post('/v1/responses', { onRequest: requireRole('member') }, (request, reply) =>
    runGoverned({ ctx, wire: openAiResponses, request, reply }),
  );

  app.post('/v1/embeddings', { onRequest: requireRole('member') }, async (request, reply) => {
    const { call, parsed } = await callFor({
      ctx,
      request,
      route: 'openai.embeddings',
      schema: embeddingsBody,
      body: (body) =>
        embeddingRequest({
          model: body.model,
          inputs: embeddingInputs(body),
          ...(body.user !== undefined ? { user: body.user } : {}),
        }),
    });
    const { result, timings } = await ctx.gateway.embed(
      call,
      parsed.dimensions !== undefined ? { dimensions: parsed.dimensions } : {},
    );
    const scope = scopeOf(request)!;
    Object.assign(scope.timings, timings);
    reply.header('server-timing', timingHeader(scope));
    return toOpenAiEmbeddings({ body: parsed, result });
  });

  app.post('/v1/messages/count_tokens', { onRequest: requireRole('member') }, async (request, reply) => {
    const { call } = await callFor({
      ctx,
      request,
      route: 'anthropic.count_tokens',
      schema: countTokensBody,
      body: fromCountTokens,
    });
    const { inputTokens, timings } = await ctx.gateway.countTokens(call);
    const scope = scopeOf(request)!;
    Object.assign(scope.timings, timings);
    reply.header('server-timing', timingHeader(scope));
    return { input_tokens: inputTokens };
  });
}
