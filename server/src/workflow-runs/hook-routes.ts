import { randomBytes } from 'node:crypto';
import {
  checkHookDelivery,
  derivedRunId,
  HOOK_SIGNATURE_HEADER,
  HOOK_TIMESTAMP_HEADER,
  type HookRefusal,
  handleHookCommand,
  hookSecret,
  runInputProblems,
  startWorkflowRun,
  type WorkflowEngine,
  WorkflowRunError,
} from '@proofpane/commands';
import { newId, sha256Hex } from '@proofpane/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { applyHookEvents, type HookRow } from './hook-table.js';
import { publishedWorkflows, type WorkflowReader } from './published-workflows.js';

const TOKEN = /^pph_[A-Za-z0-9_-]{43}$/;
const workflowParams = z.strictObject({ id: z.string().min(1).max(100) });
const hookParams = z.strictObject({ id: z.string().min(1).max(100), hookId: z.string().min(1).max(100) });
const deliveryParams = z.strictObject({ token: z.string().min(1).max(100) });
const hookView = z.object({ hookId: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() });
const HOOK_ACTOR = { kind: 'system' as const, id: 'workflow-hook' };
const REFUSAL_EVERY_MS = 60_000;

const iso = (at: Date | string | null) => (at === null ? null : new Date(at).toISOString());

/**
 * Webhook triggers: admins create a hook for a workflow (its URL token and signing secret are shown once),
 * list and revoke them; `POST /api/hooks/:token` starts a run of the latest published version when the
 * body is signed with the hook's secret and recent, once per delivery. Refusals are recorded.
 */
export function hookRoutes(options: {
  db: Kysely<unknown>;
  workflows: WorkflowReader;
  engine: WorkflowEngine;
  masterKey: Buffer;
  publicUrl: string;
}): FastifyPluginAsync {
  const { db, workflows, engine, masterKey } = options;
  const published = publishedWorkflows(workflows);
  const lastRefusal = new Map<string, number>();

  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflow-runs'];
    const { store } = app.runtime;

    const refuse = async (hook: HookRow, reason: HookRefusal) => {
      const key = `${hook.hook_id}\n${reason}`;
      const at = Date.now();
      if ((lastRefusal.get(key) ?? 0) > at - REFUSAL_EVERY_MS) return;
      if (lastRefusal.size > 10_000) lastRefusal.clear();
      lastRefusal.set(key, at);
      await handleHookCommand({
        store,
        org: hook.org,
        actor: HOOK_ACTOR,
        command: { type: 'refuse', hookId: hook.hook_id, reason },
      });
    };

    api.post(
      '/api/workflows/:id/hooks',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Create a webhook that starts runs of the workflow; its token and secret are shown once',
          params: workflowParams,
          response: {
            201: z.object({
              hookId: z.string(),
              workflowId: z.string(),
              url: z.string(),
              token: z.string(),
              secret: z.string(),
            }),
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const workflowId = (await workflows.get({ org: principal.org, workflowId: request.params.id })).id;
        const hookId = newId('hook');
        const token = `pph_${randomBytes(32).toString('base64url')}`;
        await handleHookCommand({
          store,
          org: principal.org,
          actor: principal.actor,
          command: { type: 'create', hookId, workflowId, tokenSha256: sha256Hex(token) },
          inline: (trx, appended) => applyHookEvents(trx, appended),
        });
        reply.status(201);
        return {
          hookId,
          workflowId,
          url: `${options.publicUrl}/api/hooks/${token}`,
          token,
          secret: hookSecret({ masterKey, token }),
        };
      },
    );

    api.get(
      '/api/workflows/:id/hooks',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "The workflow's webhooks (never their tokens)",
          params: workflowParams,
          response: { 200: z.object({ hooks: z.array(hookView) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { rows } = await sql<HookRow>`SELECT * FROM workflow_hooks
          WHERE org = ${principal.org} AND workflow_id = ${request.params.id} ORDER BY created_at LIMIT 200`.execute(
          db,
        );
        return {
          hooks: rows.map((r) => ({
            hookId: r.hook_id,
            createdAt: iso(r.created_at)!,
            revokedAt: iso(r.revoked_at),
          })),
        };
      },
    );

    api.delete(
      '/api/workflows/:id/hooks/:hookId',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Revoke a webhook',
          params: hookParams,
          response: { 200: hookView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { id, hookId } = request.params;
        const row = async () =>
          (
            await sql<HookRow>`SELECT * FROM workflow_hooks
              WHERE org = ${principal.org} AND workflow_id = ${id} AND hook_id = ${hookId}`.execute(db)
          ).rows[0];
        if (!(await row())) throw apiError('not_found', `no webhook ${hookId} on workflow ${id}`);
        await handleHookCommand({
          store,
          org: principal.org,
          actor: principal.actor,
          command: { type: 'revoke', hookId },
          inline: (trx, appended) => applyHookEvents(trx, appended),
        });
        const revoked = (await row())!;
        return { hookId, createdAt: iso(revoked.created_at)!, revokedAt: iso(revoked.revoked_at) };
      },
    );

    // The signature covers the bytes as sent, so this route reads its body as text.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body),
      );
      raw.withTypeProvider<ZodTypeProvider>().post(
        '/api/hooks/:token',
        {
          schema: {
            tags,
            summary:
              'Deliver a signed webhook: starts one run per delivery (x-proofpane-timestamp, x-proofpane-signature)',
            params: deliveryParams,
            response: { 202: z.object({ runId: z.string() }) },
          },
        },
        async (request, reply) => {
          const { token } = request.params;
          if (!TOKEN.test(token)) throw apiError('not_found', 'no such webhook');
          const hook = (
            await sql<HookRow>`SELECT * FROM workflow_hooks WHERE token_sha256 = ${sha256Hex(token)}`.execute(
              db,
            )
          ).rows[0];
          if (!hook || hook.revoked_at !== null) throw apiError('not_found', 'no such webhook');
          const body = typeof request.body === 'string' ? request.body : '';
          const header = (name: string) => {
            const value = request.headers[name];
            return typeof value === 'string' ? value : undefined;
          };
          const signature = header(HOOK_SIGNATURE_HEADER);
          const check = checkHookDelivery({
            secret: hookSecret({ masterKey, token }),
            timestamp: header(HOOK_TIMESTAMP_HEADER),
            signature,
            body,
            now: new Date(),
          });
          if (check !== 'ok') {
            await refuse(hook, check);
            throw apiError(
              'hook_signature_invalid',
              check === 'stale_timestamp'
                ? `${HOOK_TIMESTAMP_HEADER} is more than five minutes away from the server's clock`
                : `${HOOK_SIGNATURE_HEADER} is not the HMAC-SHA256 of "<timestamp>.<body>" under this hook's secret`,
            );
          }
          let input: unknown;
          try {
            input = body === '' ? {} : JSON.parse(body);
          } catch {
            throw apiError('malformed_json', 'the body is not JSON');
          }
          const workflow = await published.find({ org: hook.org, workflowId: hook.workflow_id });
          const trigger = workflow?.graph.nodes.find((n) => n.type === 'trigger')?.config.kind;
          if (!workflow || trigger !== 'webhook')
            throw apiError(
              'workflow_not_published',
              'the workflow has no published version started by a webhook',
            );
          const problems = runInputProblems(workflow.graph, input);
          if (problems.length > 0) {
            const errors = problems.map((p) => ({
              field: `body${p.path.replaceAll('/', '.')}`,
              message: p.message,
            }));
            throw apiError('run_input_invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
              errors,
            });
          }
          try {
            const { runId } = await startWorkflowRun({
              store,
              org: hook.org,
              actor: HOOK_ACTOR,
              workflow,
              input,
              trigger: { kind: 'webhook', ref: hook.hook_id },
              runId: derivedRunId('hook', hook.hook_id, signature!),
              now: new Date(),
            });
            engine.kick(hook.org, runId);
            reply.status(202);
            return { runId };
          } catch (error) {
            if (!(error instanceof WorkflowRunError) || error.code !== 'run_exists') throw error;
            await refuse(hook, 'replayed');
            throw apiError(
              'hook_replayed',
              'this delivery was already received; sign a new one to start another run',
            );
          }
        },
      );
    });
  };
}
