import {
  createCrossVendorSuiteBody,
  crossVendorPageQuery,
  crossVendorParams,
  crossVendorRunDetail,
  crossVendorRunList,
  crossVendorRunListQuery,
  crossVendorRunStarted,
  crossVendorSuiteDetail,
  crossVendorSuiteList,
} from '@proofpane/api';
import {
  CrossVendorError,
  type CrossVendorSuite,
  createCrossVendorSuite,
  readCrossVendorSuite,
} from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import {
  crossVendorMatrix,
  decodeCrossVendorCursor,
  listCrossVendorRuns,
  listCrossVendorSuites,
  runTree,
} from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { exportEvidencePack } from '../evidence/export-pack.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import type { CrossVendorRunner } from './runner.js';

const BASE = '/api/evals/cross-vendor';

const cursorOf = (after: string | undefined) => {
  if (after === undefined) return undefined;
  const cursor = decodeCrossVendorCursor(after);
  if (!cursor)
    throw apiError('validation_failed', 'query.after: not a cursor this list gave', {
      errors: [{ field: 'query.after', message: 'not a cursor this list gave' }],
    });
  return cursor;
};

const detailOf = (suite: CrossVendorSuite & { createdAt: string }) => ({
  id: suite.suiteId,
  name: suite.name,
  cases: suite.cases,
  caseCount: suite.cases.length,
  providers: suite.providers,
  judge: suite.judge,
  schedule: suite.schedule,
  createdAt: suite.createdAt,
});

/** A run's header from its own events, for the moment before the read model has seen it. */
async function startedRun(store: EventStore, org: string, runId: string) {
  const events = await store.readSubject({ org, subject: `run/${runId}` });
  const started = events.find((e) => e.type === 'cp.cross_vendor.run.started');
  if (!started) return null;
  const data = started.data as Omit<CrossVendorSuite, 'cases' | 'schedule'> & {
    trigger: { kind: string };
    cases: number;
  };
  return {
    id: runId,
    suiteId: data.suiteId,
    name: data.name,
    trigger: data.trigger.kind,
    status: 'running' as const,
    error: null,
    providers: data.providers,
    judge: data.judge,
    cases: data.cases,
    startedAt: started.time,
    endedAt: null,
  };
}

/**
 * `/api/evals/cross-vendor`: members create suites, start runs and read them (every provider call of a
 * run passes the governed call's gates, which decide what it may do); admins export a run's Evidence Pack.
 */
export function crossVendorRoutes(options: { runner: CrossVendorRunner }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['cross-vendor-evals'];
    const member = { onRequest: requireRole('member') };
    const { store, database, keyring } = app.runtime;
    const db = database.db;

    const suiteOf = async (org: string, suiteId: string) => {
      const suite = await readCrossVendorSuite({ store, org, suiteId });
      if (!suite)
        throw apiError('cross_vendor_suite_not_found', `no cross-vendor suite ${suiteId} in this org`);
      return suite;
    };

    api.post(
      `${BASE}/suites`,
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Create a suite: cases asked of several providers, compared pair by pair',
          body: createCrossVendorSuiteBody,
          response: { 201: crossVendorSuiteDetail },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { judge, schedule, ...rest } = request.body;
        try {
          const suite = await createCrossVendorSuite({
            store,
            org: principal.org,
            actor: principal.actor,
            suite: { ...rest, judge: judge ?? null, schedule: schedule ?? null },
          });
          reply.status(201);
          return detailOf({ ...suite, createdAt: new Date().toISOString() });
        } catch (error) {
          if (error instanceof CrossVendorError)
            throw apiError(
              error.code,
              error.message,
              error.problems.length ? { errors: error.problems } : {},
            );
          throw error;
        }
      },
    );

    api.get(
      `${BASE}/suites`,
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "The org's suites, newest first",
          querystring: crossVendorPageQuery,
          response: { 200: crossVendorSuiteList },
        },
      },
      async (request) =>
        listCrossVendorSuites(db, {
          org: principalOf(request).org,
          after: cursorOf(request.query.after),
          limit: request.query.limit,
        }),
    );

    api.get(
      `${BASE}/suites/:id`,
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'One suite with its cases',
          params: crossVendorParams,
          response: { 200: crossVendorSuiteDetail },
        },
      },
      async (request) => detailOf(await suiteOf(principalOf(request).org, request.params.id)),
    );

    api.post(
      `${BASE}/suites/:id/runs`,
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Start a run of the suite; answers at once with its id while it runs',
          params: crossVendorParams,
          response: { 202: crossVendorRunStarted },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const suite = await suiteOf(principal.org, request.params.id);
        const { runId } = await options.runner.start({
          org: principal.org,
          actor: principal.actor,
          caller: {
            ...(principal.userId ? { userId: principal.userId } : {}),
            ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
          },
          suite,
        });
        reply.status(202);
        return { runId };
      },
    );

    api.get(
      `${BASE}/runs`,
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "The org's cross-vendor runs, newest first, optionally of one suite",
          querystring: crossVendorRunListQuery,
          response: { 200: crossVendorRunList },
        },
      },
      async (request) =>
        listCrossVendorRuns(db, {
          org: principalOf(request).org,
          suiteId: request.query.suite,
          after: cursorOf(request.query.after),
          limit: request.query.limit,
        }),
    );

    api.get(
      `${BASE}/runs/:id`,
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'One run: the matrix of cases by provider pair (severity, diffs, judge) and the run tree',
          params: crossVendorParams,
          response: { 200: crossVendorRunDetail },
        },
      },
      async (request) => {
        const { org } = principalOf(request);
        const runId = request.params.id;
        const [matrix, tree] = await Promise.all([
          crossVendorMatrix(db, { org, runId }),
          runTree({ db, org, runId }),
        ]);
        if (matrix) return { ...matrix, tree };
        const run = await startedRun(store, org, runId);
        if (!run) throw apiError('cross_vendor_run_not_found', `no cross-vendor run ${runId} in this org`);
        return {
          run,
          counts: { critical: 0, warning: 0, info: 0 },
          costMicros: 0,
          cases: Array.from({ length: run.cases }, (_, index) => ({ index, answers: [], pairs: [] })),
          tree,
        };
      },
    );

    api.post(
      `${BASE}/runs/:id/evidence-pack`,
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary:
            "Export a signed Evidence Pack (ZIP) of the run's events: every run of its tree and their calls",
          params: crossVendorParams,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const runId = request.params.id;
        if (!(await startedRun(store, principal.org, runId)))
          throw apiError('cross_vendor_run_not_found', `no cross-vendor run ${runId} in this org`);
        const pack = await exportEvidencePack({
          store,
          signer: keyring.signer,
          org: principal.org,
          selection: { runId },
          actor: principal.actor,
          now: () => new Date(),
        });
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="evidence-${runId}.zip"`)
          .header('x-proofpane-manifest-sha256', pack.manifestSha256)
          .send(Buffer.from(pack.zip.buffer, pack.zip.byteOffset, pack.zip.byteLength));
      },
    );
  };
}
