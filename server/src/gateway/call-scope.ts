import { newId } from '@proofpane/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentMismatch, agentOf, principalOf } from '../auth/index.js';
import { isCleanText } from '../http/clean-text.js';
import { apiError } from '../http/errors.js';
import {
  auditRefusedRequest,
  type GateTimings,
  type GatewayCall,
  type GatewayCaller,
  GatewayRefusal,
  type GatewayRoute,
  resolveProvider,
  uncarriedFeatures,
} from './commands.js';
import type { GatewayContext } from './context.js';
import { serverTiming } from './server-timing.js';
import { parameterName } from './wire/parameters.js';

/** Per-request gateway state: its request id (`call/<id>` subject), start, and the gate timings so far. */
export interface CallScope {
  requestId: string;
  startedAt: number;
  timings: GateTimings;
}

const scopes = new WeakMap<FastifyRequest, CallScope>();

export function openScope(request: FastifyRequest, reply: FastifyReply): CallScope {
  const scope = { requestId: newId('req'), startedAt: performance.now(), timings: {} };
  scopes.set(request, scope);
  reply.header('x-proofpane-request-id', scope.requestId);
  // The vendors' SDKs surface these as the response's request id (OpenAI reads `x-request-id`, Anthropic
  // `request-id`), so support tickets quote the id whose events are on `call/<id>`.
  reply.header('x-request-id', scope.requestId);
  reply.header('request-id', scope.requestId);
  return scope;
}

export const scopeOf = (request: FastifyRequest): CallScope | undefined => scopes.get(request);

export const timingHeader = (scope: CallScope) =>
  serverTiming({ timings: scope.timings, totalMs: performance.now() - scope.startedAt });

/** The caller and its policy scope: the key's agent binding wins; a header may only repeat it. */
export function callerOf(request: FastifyRequest, scope: CallScope): GatewayCaller {
  const p = principalOf(request);
  let agent: string | undefined;
  try {
    agent = agentOf(p, request.headers['x-proofpane-agent']);
  } catch (error) {
    if (!(error instanceof AgentMismatch)) throw error;
    throw new GatewayRefusal('invalid_request', error.message, scope.requestId);
  }
  return {
    org: p.org,
    actor: p.actor,
    ...(p.userId ? { userId: p.userId } : {}),
    ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}),
    ...(agent ? { agent } : {}),
  };
}

/**
 * Audits a request refused before it became a call (a body the wire format does not allow, an unknown
 * model) as `cp.llm.call.failed` with code invalid_request. Unauthenticated requests are not audited here.
 */
export async function auditInvalid(options: {
  ctx: GatewayContext;
  request: FastifyRequest;
  route: GatewayRoute;
  message: string;
}): Promise<void> {
  const { request, route, message } = options;
  const scope = scopeOf(request);
  let principal: ReturnType<typeof principalOf>;
  try {
    principal = principalOf(request);
  } catch {
    return;
  }
  if (!scope) return;
  const body = request.body as { model?: unknown } | undefined;
  // The refusal names the model as asked, unless that text is what was refused (NUL, a broken surrogate).
  const asked = typeof body?.model === 'string' ? body.model.slice(0, 200) : '';
  const model = asked.length > 0 && isCleanText(asked) ? asked : 'unknown';
  await auditRefusedRequest({
    store: request.server.runtime.store,
    org: principal.org,
    requestId: scope.requestId,
    actor: principal.actor,
    party: {
      model,
      ...(principal.agent ? { agent: principal.agent } : {}),
      ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
      ...(principal.userId ? { userId: principal.userId } : {}),
    },
    route,
    message,
    latencyMs: Math.round(performance.now() - scope.startedAt),
  });
}

/** Builds the governed call from a parsed body, resolving the provider from the model name. */
export function buildCall(options: {
  ctx: GatewayContext;
  request: FastifyRequest;
  route: GatewayRoute;
  stream: boolean;
  body: Omit<GatewayCall['request'], 'provider'>;
}): GatewayCall {
  const { ctx, request, route, stream, body } = options;
  const scope = scopeOf(request);
  if (!scope) throw apiError('internal', 'gateway scope missing');
  const caller = callerOf(request, scope);
  const resolved = resolveProvider({
    model: body.model,
    openAiCompatibleAvailable: ctx.providerConfig['openai-compatible'] !== undefined,
  });
  if (!resolved)
    throw new GatewayRefusal(
      'invalid_request',
      `no provider serves model "${body.model}"; name it as provider/model (openai, anthropic, gemini, deepseek, openai-compatible, demo)`,
      scope.requestId,
    );
  const { uncarried = [], ...rest } = body;
  const outbound = { ...rest, provider: resolved.provider, model: resolved.model };
  // Nothing the caller asked for is dropped: a parameter the provider cannot honour refuses the call.
  const refused = [...uncarried, ...uncarriedFeatures(outbound).map((f) => parameterName(route, f))];
  if (refused.length > 0)
    throw new GatewayRefusal(
      'invalid_request',
      `provider "${resolved.provider}" cannot honour ${refused.map((p) => `"${p}"`).join(', ')}; remove ${refused.length === 1 ? 'it' : 'them'} or choose a model whose provider can`,
      scope.requestId,
    );
  const hitl = request.headers['x-proofpane-hitl'];
  const run = runOf(request, scope);
  return {
    requestId: scope.requestId,
    route,
    caller,
    stream,
    request: outbound,
    ...(typeof hitl === 'string' && hitl.length > 0 && hitl.length <= 100 ? { hitlApproval: hitl } : {}),
    ...(run ? { run } : {}),
  };
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * The run an outside agent groups its calls into (docs/runs.md, "Runs from outside"): the run id and,
 * on the call that starts it, its parent and name.
 */
function runOf(request: FastifyRequest, scope: CallScope): GatewayCall['run'] {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const id = header('x-proofpane-run-id');
  const parentId = header('x-proofpane-parent-run-id');
  const name = header('x-proofpane-run-name');
  if (id === undefined) {
    if (parentId !== undefined || name !== undefined)
      throw new GatewayRefusal(
        'invalid_request',
        'x-proofpane-parent-run-id and x-proofpane-run-name need x-proofpane-run-id',
        scope.requestId,
      );
    return undefined;
  }
  for (const [field, value] of [
    ['x-proofpane-run-id', id],
    ['x-proofpane-parent-run-id', parentId],
  ] as const)
    if (value !== undefined && !RUN_ID.test(value))
      throw new GatewayRefusal(
        'invalid_request',
        `${field} must be 1–100 characters of letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
        scope.requestId,
      );
  if (name !== undefined && (name.length > 200 || !isCleanText(name)))
    throw new GatewayRefusal(
      'invalid_request',
      'x-proofpane-run-name must be at most 200 characters',
      scope.requestId,
    );
  return { id, ...(parentId ? { parentId } : {}), ...(name ? { name } : {}) };
}
