import { type PolicyEvaluation, policyDocumentBody, policyEvaluateBody, policyView } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { evaluatePolicy, InvalidPolicyError, requestTexts, resolveProvider } from './commands.js';
import type { GatewayContext } from './context.js';

const bearer = [{ bearer: [] }];

/** The org's runtime policy: read it, replace it (a new version, as an event), dry-run a request against it. */
export function policyRoutes(ctx: GatewayContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/policy',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['policy'],
          summary: 'The current policy and its version',
          security: bearer,
          response: { 200: policyView },
        },
      },
      async (request) => {
        const { version, document } = await ctx.policies.current({ org: principalOf(request).org });
        return { version, document };
      },
    );

    app.put(
      '/api/policy',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['policy'],
          summary: 'Replace the policy (appends cp.policy.updated with the next version)',
          security: bearer,
          body: policyDocumentBody,
          response: { 200: policyView },
        },
      },
      async (request) => {
        const p = principalOf(request);
        try {
          const { version, document } = await ctx.policies.update({
            org: p.org,
            actor: p.actor,
            input: request.body,
          });
          return { version, document };
        } catch (error) {
          if (error instanceof InvalidPolicyError)
            throw apiError('validation_failed', error.message, {
              errors: error.issues.map((i) => ({ field: `body.${i.path}`, message: i.message })),
            });
          throw error;
        }
      },
    );

    app.post(
      '/api/policy/evaluate',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['policy'],
          summary: 'Dry run: the decision and the masked texts for a request (nothing is sent or recorded)',
          security: bearer,
          body: policyEvaluateBody,
        },
      },
      async (request): Promise<PolicyEvaluation> => {
        const body = request.body;
        const p = principalOf(request);
        const resolved = resolveProvider({
          model: body.model,
          openAiCompatibleAvailable: ctx.providerConfig['openai-compatible'] !== undefined,
        });
        if (!resolved) throw apiError('bad_request', `no provider serves model "${body.model}"`);
        const policy = await ctx.policies.current({ org: p.org });
        const texts = requestTexts({
          ...(body.system !== undefined ? { system: body.system } : {}),
          messages: body.messages.map((m) => ({ role: m.role, content: m.content })),
        });
        const agent = p.agent ?? body.agent;
        const v = evaluatePolicy({
          policy: policy.compiled,
          request: {
            ...resolved,
            ...(agent ? { agent } : {}),
            ...(body.maxTokens ? { maxTokens: body.maxTokens } : {}),
            tools: body.tools ?? [],
            texts,
          },
        });
        return {
          policyVersion: policy.version,
          provider: resolved.provider,
          model: resolved.model,
          decision: v.decision,
          ...(v.code ? { code: v.code } : {}),
          reason: v.reason,
          scope: v.scope,
          rulesMatched: v.rulesMatched,
          dlp: v.dlp,
          maskedTexts: v.maskedTexts,
        };
      },
    );
  };
}
