import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { auditInvalid, buildCall, scopeOf, timingHeader } from './call-scope.js';
import {
  type ChatDelta,
  type ChatResult,
  type GatewayCall,
  GatewayRefusal,
  type GatewayRoute,
} from './commands.js';
import type { GatewayContext } from './context.js';
import { type Vendor, vendorErrorBody } from './vendor-errors.js';
import { parseWire, withUnknown } from './wire/strict-parse.js';

/** How one vendor's wire format plugs into the governed call. */
export interface WireFormat<Body> {
  vendor: Vendor;
  route: GatewayRoute;
  schema: z.ZodType<Body>;
  /** The request headers are for vendor headers that belong to the request (Anthropic's betas). */
  toRequest(body: Body, headers: FastifyRequest['headers']): Omit<GatewayCall['request'], 'provider'>;
  wantsStream(body: Body): boolean;
  render(options: { requestId: string; body: Body; result: ChatResult }): unknown;
  /** SSE frames for a stream: `start()` once, then per delta; each frame is the full `event:`/`data:` text. */
  streamer(options: { requestId: string; body: Body }): { start(): string[]; delta(d: ChatDelta): string[] };
}

const issues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');

/** Runs one governed call for a wire route: parse, gates, provider, audit; JSON or SSE out. */
export async function runGoverned<Body>(options: {
  ctx: GatewayContext;
  wire: WireFormat<Body>;
  request: FastifyRequest;
  reply: FastifyReply;
}): Promise<unknown> {
  const { ctx, wire, request, reply } = options;
  const scope = scopeOf(request)!;
  // Unknown keys, nested ones included, are refused by path and provider rather than ignored.
  const parsed = parseWire(wire.schema, request.body);
  let call: GatewayCall;
  try {
    if (!parsed.success) throw new GatewayRefusal('invalid_request', issues(parsed.error), scope.requestId);
    call = buildCall({
      ctx,
      request,
      route: wire.route,
      stream: wire.wantsStream(parsed.data),
      body: withUnknown(wire.toRequest(parsed.data, request.headers), parsed.unknown),
    });
  } catch (error) {
    if (error instanceof GatewayRefusal)
      await auditInvalid({ ctx, request, route: wire.route, message: error.message });
    throw error;
  }
  const body = parsed.data;

  if (!call.stream) {
    const { result, timings } = await ctx.gateway.complete(call);
    Object.assign(scope.timings, timings);
    // L3 (docs/quality.md) when the org turned it on for governed answers, before the answer goes out.
    if (request.server.hasDecorator('quality'))
      await request.server.quality.checkGovernedAnswer({ call, text: result.text, log: request.log });
    reply.header('server-timing', timingHeader(scope));
    return wire.render({ requestId: call.requestId, body, result });
  }

  const { deltas, timings } = await ctx.gateway.stream(call);
  Object.assign(scope.timings, timings);
  reply.hijack();
  const raw = reply.raw;
  let closed = false;
  raw.on('close', () => {
    closed = true;
  });
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': call.requestId,
    'request-id': call.requestId,
    'x-proofpane-request-id': call.requestId,
    'server-timing': timingHeader(scope),
  });
  const streamer = wire.streamer({ requestId: call.requestId, body });
  for (const frame of streamer.start()) raw.write(frame);
  // The streamed text, kept for L3 when the org checks governed answers (bounded like a checked text).
  const texts: string[] = [];
  let textChars = 0;
  let complete = false;
  try {
    for await (const d of deltas) {
      for (const frame of streamer.delta(d)) raw.write(frame);
      if (d.type === 'text' && textChars < 100_000) {
        texts.push(d.text);
        textChars += d.text.length;
      }
      if (closed) break;
    }
    complete = !closed;
  } catch (error) {
    const refusal =
      error instanceof GatewayRefusal
        ? error
        : new GatewayRefusal('provider_error', 'the stream failed', call.requestId);
    const payload = vendorErrorBody({
      vendor: wire.vendor,
      code: refusal.code,
      message: refusal.message,
      requestId: call.requestId,
    });
    raw.write(
      wire.vendor === 'anthropic'
        ? `event: error\ndata: ${JSON.stringify(payload)}\n\n`
        : `data: ${JSON.stringify(payload)}\n\n`,
    );
  }
  raw.end();
  // Checked once the caller has the whole answer: a stream is never held back for L3.
  if (complete && request.server.hasDecorator('quality'))
    await request.server.quality.checkGovernedAnswer({ call, text: texts.join(''), log: request.log });
  return reply;
}
