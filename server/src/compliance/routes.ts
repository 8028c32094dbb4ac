import {
  controlDetail,
  controlList,
  controlListQuery,
  controlParams,
  coverageQuery,
  coverageReport,
  evidencePackBody,
  evidencePage,
  evidenceQuery,
  frameworkList,
  mappingList,
  mappingOverride,
  mappingQuery,
  overrideBody,
  overrideDecisionBody,
  overrideList,
  overrideListQuery,
} from '@proofpane/api';
import { CONTROL_CATALOGUE_VERSION, controlCatalogue, curatedReason } from '@proofpane/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { exportEvidencePack } from '../evidence/export-pack.js';
import { MAX_SELECTED_SEQS } from '../evidence/selection.js';
import { apiError } from '../http/errors.js';
import { idParams } from '../http/route-params.js';
import { bearer } from '../http/route-security.js';
import { frameworkOrThrow, frameworkPrefix, summaryOf } from './catalogue-views.js';
import type { ComplianceService } from './service.js';

/**
 * `/api/compliance`: members read the catalogue, coverage, evidence and mappings; admins export a control's
 * Evidence Pack and propose, approve or reject mapping overrides (approval by a second person).
 */
export function complianceRoutes(options: { service: ComplianceService }): FastifyPluginAsync {
  const { service } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['compliance'];
    const reader = { onRequest: requireRole('member') };
    const admin = { onRequest: requireRole('admin') };

    api.get(
      '/api/compliance/frameworks',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'The frameworks of the control catalogue',
          response: { 200: frameworkList },
        },
      },
      async () => ({
        catalogueVersion: CONTROL_CATALOGUE_VERSION,
        frameworks: controlCatalogue.frameworks.map((f) => ({
          id: f.id,
          prefix: frameworkPrefix(f),
          name: f.name,
          version: f.version,
          count: f.count,
          curatedCount: f.controls.filter((c) => curatedReason(c.uid) !== undefined).length,
          sources: [...f.sources],
          ...(f.notes ? { notes: f.notes } : {}),
        })),
      }),
    );

    api.get(
      '/api/compliance/controls',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary:
            'Controls in catalogue order, of one framework or curated only; `next` continues with `after`',
          querystring: controlListQuery,
          response: { 200: controlList },
        },
      },
      async (request) => {
        const { framework, curated, after, limit } = request.query;
        const pool = framework
          ? frameworkOrThrow(framework).controls
          : controlCatalogue.frameworks.flatMap((f) => f.controls);
        const chosen =
          curated === undefined
            ? pool
            : pool.filter((c) => (curatedReason(c.uid) !== undefined) === (curated === 'true'));
        const at = after ? chosen.findIndex((c) => c.uid === after) : -1;
        if (after && at < 0)
          throw apiError(
            'validation_failed',
            `after: ${after} is not a control of this list; pass the next of a page`,
          );
        const start = at + 1;
        const page = chosen.slice(start, start + limit);
        return {
          catalogueVersion: CONTROL_CATALOGUE_VERSION,
          controls: page.map(summaryOf),
          next: start + limit < chosen.length ? (page.at(-1)?.uid ?? null) : null,
        };
      },
    );

    api.get(
      '/api/compliance/controls/:uid',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: "A control: crosswalks, evidence rules, mapped skills and the org's coverage of it",
          params: controlParams,
          response: { 200: controlDetail },
        },
      },
      async (request) => service.detail(principalOf(request).org, request.params.uid),
    );

    api.get(
      '/api/compliance/controls/:uid/evidence',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'The events evidencing a control, newest first; `next` continues with `before`',
          params: controlParams,
          querystring: evidenceQuery,
          response: { 200: evidencePage },
        },
      },
      async (request) =>
        service.evidence({ org: principalOf(request).org, uid: request.params.uid, ...request.query }),
    );

    api.post(
      '/api/compliance/controls/:uid/evidence-pack',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: 'A signed Evidence Pack (ZIP) of exactly the events evidencing a control in a range',
          params: controlParams,
          body: evidencePackBody.default({}),
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { uid } = request.params;
        const { from, to } = request.body ?? {};
        const seqs = await service.evidenceSeqs({
          org: principal.org,
          uid,
          max: MAX_SELECTED_SEQS,
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        });
        if (seqs.length === 0)
          throw apiError(
            'not_found',
            `no event evidences ${uid} in this range; widen from and to, or pick an evidenced control`,
          );
        const { runtime } = app;
        const pack = await exportEvidencePack({
          store: runtime.store,
          signer: runtime.keyring.signer,
          org: principal.org,
          selection: { seqs },
          label: `control:${uid}`,
          actor: principal.actor,
          now: () => new Date(),
        });
        const stamp = pack.manifest.createdAt.replace(/[:.]/g, '-');
        const safe = uid.replace(/[^A-Za-z0-9.-]+/g, '_');
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="evidence-${safe}-${stamp}.zip"`)
          .header('x-proofpane-manifest-sha256', pack.manifestSha256)
          .send(Buffer.from(pack.zip.buffer, pack.zip.byteOffset, pack.zip.byteLength));
      },
    );

    api.get(
      '/api/compliance/coverage',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary:
            'Per control of a framework: evidenced, mapped without evidence, or not mapped, with counts',
          querystring: coverageQuery,
          response: { 200: coverageReport },
        },
      },
      async (request) => service.coverage(principalOf(request).org, request.query.framework),
    );

    api.get(
      '/api/compliance/mappings',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary:
            'The skill ↔ control mapping in force (shipped and approved overrides); `next` continues with `after`',
          querystring: mappingQuery,
          response: { 200: mappingList },
        },
      },
      async (request) => service.mappings({ org: principalOf(request).org, ...request.query }),
    );

    api.get(
      '/api/compliance/mappings/overrides',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: "The org's mapping overrides, newest first; `next` continues with `before`",
          querystring: overrideListQuery,
          response: { 200: overrideList },
        },
      },
      async (request) => {
        const { skill, control, status, before, limit } = request.query;
        return service.listOverrides({
          org: principalOf(request).org,
          limit,
          ...(skill ? { skill } : {}),
          ...(control ? { control } : {}),
          ...(status ? { status } : {}),
          ...(before !== undefined ? { before } : {}),
        });
      },
    );

    api.post(
      '/api/compliance/mappings/overrides',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary:
            'Propose adding or removing a skill ↔ control pair; it applies once another admin approves',
          body: overrideBody,
          response: { 201: mappingOverride },
        },
      },
      async (request, reply) => {
        const { org, actor } = principalOf(request);
        reply.status(201);
        return service.propose({ org, actor, ...request.body });
      },
    );

    for (const decision of ['approve', 'reject'] as const) {
      api.post(
        `/api/compliance/mappings/overrides/:id/${decision}`,
        {
          ...admin,
          schema: {
            tags,
            security: bearer,
            summary:
              decision === 'approve'
                ? 'Approve a pending override: a signed-in admin other than its proposer'
                : 'Reject a pending override (its proposer may withdraw it this way)',
            params: idParams,
            body: overrideDecisionBody.default({}),
            response: { 200: mappingOverride },
          },
        },
        async (request) => {
          const { org, actor } = principalOf(request);
          return service.decide({ org, actor, id: request.params.id, decision, note: request.body?.note });
        },
      );
    }
  };
}
