import multipart from '@fastify/multipart';
import {
  DOCUMENT_LIMITS,
  documentDeleted,
  documentList,
  documentListQuery,
  documentSettings,
  documentUploaded,
  embedderSettings,
  searchBody,
  searchResult,
  uploadDocumentFields,
  useCaseDocumentParams,
  useCaseDocumentsParams,
} from '@proofpane/api';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import type { DocumentService } from './service.js';

const MULTIPART_ERRORS: Record<string, string> = {
  FST_REQ_FILE_TOO_LARGE: `the file is larger than ${DOCUMENT_LIMITS.fileBytes} bytes`,
  FST_FILES_LIMIT: 'send one file part, named "file"',
  FST_PARTS_LIMIT: 'send one file part, named "file", and at most a "title" field',
  FST_FIELDS_LIMIT: 'send at most a "title" field besides the file',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'send multipart/form-data with a part named "file"',
};

/** The one file part and the title field, read within the contract's bounds. */
async function readUpload(request: FastifyRequest) {
  let file: { name: string; type: string; bytes: Buffer } | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({
      // Keep the name as sent, so a name that is a path is refused rather than quietly cut to its base.
      preservePath: true,
      limits: { fileSize: DOCUMENT_LIMITS.fileBytes, files: 1, fields: 1, parts: 2, fieldSize: 1_000 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw apiError('document_upload_invalid', 'the file part must be named "file"');
        file = { name: part.filename, type: part.mimetype, bytes: await part.toBuffer() };
      } else fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw apiError('document_too_large', MULTIPART_ERRORS[code]!);
    if (code && MULTIPART_ERRORS[code]) throw apiError('document_upload_invalid', MULTIPART_ERRORS[code]!);
    throw error;
  }
  if (!file) throw apiError('document_upload_invalid', 'send one file part, named "file"');
  const parsed = uploadDocumentFields.safeParse(fields);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: `body.${i.path.join('.') || 'fields'}`,
      message: i.message,
    }));
    throw apiError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  return { file, title: parsed.data.title };
}

/**
 * A use case's documents and search: members upload, list, delete and search a case of their org;
 * admins choose the org's embedder. Every route reads the org from the caller, never from the URL.
 */
export function documentRoutes(options: { service: DocumentService }): FastifyPluginAsync {
  const { service } = options;
  return async (app) => {
    // Scoped to these routes: no other route accepts multipart bodies.
    await app.register(multipart, { throwFileSizeLimit: true });
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['documents'];
    const member = { onRequest: requireRole('member') };
    const admin = { onRequest: requireRole('admin') };

    api.post(
      '/api/use-cases/:id/documents',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: `Upload a document to a use case: multipart/form-data, a "file" part of up to ${DOCUMENT_LIMITS.fileBytes} bytes (PDF, DOCX, Markdown, HTML or text) and an optional "title"`,
          consumes: ['multipart/form-data'],
          params: useCaseDocumentsParams,
          response: { 201: documentUploaded },
        },
      },
      async (request, reply) => {
        const { org, actor } = principalOf(request);
        if (!request.isMultipart())
          throw apiError('document_upload_invalid', 'send multipart/form-data with a part named "file"');
        const { file, title } = await readUpload(request);
        const uploaded = await service.upload({
          org,
          actor,
          useCaseId: request.params.id,
          fileName: file.name,
          declaredType: file.type,
          title,
          bytes: file.bytes,
        });
        reply.status(201);
        return uploaded;
      },
    );

    api.get(
      '/api/use-cases/:id/documents',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "A use case's documents, newest first; `next` continues with `after`",
          params: useCaseDocumentsParams,
          querystring: documentListQuery,
          response: { 200: documentList },
        },
      },
      async (request) =>
        service.list({
          org: principalOf(request).org,
          useCaseId: request.params.id,
          limit: request.query.limit,
          ...(request.query.after !== undefined ? { after: request.query.after } : {}),
        }),
    );

    api.delete(
      '/api/use-cases/:id/documents/:documentId',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Delete a document: its chunks and vectors go with it, and the deletion is recorded',
          params: useCaseDocumentParams,
          response: { 200: documentDeleted },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.remove({
          org,
          actor,
          useCaseId: request.params.id,
          documentId: request.params.documentId,
        });
      },
    );

    api.post(
      '/api/use-cases/:id/search',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "Search a use case's documents: BM25, vectors, or both fused by Reciprocal Rank Fusion",
          params: useCaseDocumentsParams,
          body: searchBody,
          response: { 200: searchResult },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        const { query, k, mode } = request.body;
        return { hits: await service.search({ org, actor, useCaseId: request.params.id, query, k, mode }) };
      },
    );

    api.get(
      '/api/document-settings',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "The org's embedder for documents (demo unless an admin chose another)",
          response: { 200: documentSettings },
        },
      },
      async (request) => service.settings(principalOf(request).org),
    );

    api.put(
      '/api/document-settings',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: "Choose the org's embedder; later uploads use it, earlier ones keep theirs",
          body: embedderSettings,
          response: { 200: documentSettings },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.choose({ org, actor, settings: request.body });
      },
    );
  };
}
