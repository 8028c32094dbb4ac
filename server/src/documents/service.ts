import { hash } from 'node:crypto';
import type {
  DocumentDeleted,
  DocumentList,
  DocumentSettings,
  DocumentSummary,
  DocumentType,
  EmbedderSettings,
  SearchHit,
  SearchMode,
} from '@proofpane/api';
import {
  assertUseCaseExists,
  chunkBlocks,
  DEFAULT_EXTRACT_LIMITS,
  DEMO_EMBEDDER,
  deleteChunks,
  type Embedded,
  type EmbedderChoice,
  type ExtractLimits,
  embedderLabel,
  embedGoverned,
  extractDocument,
  type Gateway,
  GatewayRefusal,
  handleDocumentCommand,
  handleDocumentSettingsCommand,
  parseEmbedderLabel,
  plainFileName,
  retrieveForCase,
  sniffDocumentType,
  type VectorStore,
  writeChunks,
} from '@proofpane/commands';
import { type Actor, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError, type ErrorCode } from '../http/errors.js';
import type { DocumentFiles } from './files.js';

interface DocumentRow {
  id: string;
  org: string;
  use_case_id: string;
  title: string;
  type: DocumentType;
  sha256: string;
  size_bytes: number;
  characters: number;
  chunks: number;
  embedder: string;
  uploaded_by: string;
  uploaded_at: Date | string;
}

const summaryOf = (row: DocumentRow): DocumentSummary => ({
  id: row.id,
  useCaseId: row.use_case_id,
  title: row.title,
  type: row.type,
  sha256: row.sha256,
  sizeBytes: row.size_bytes,
  characters: row.characters,
  chunks: row.chunks,
  embedder: row.embedder,
  uploadedBy: row.uploaded_by,
  uploadedAt: new Date(row.uploaded_at).toISOString(),
});

const cursorOf = (row: DocumentRow) =>
  Buffer.from(JSON.stringify([new Date(row.uploaded_at).toISOString(), row.id])).toString('base64url');

function parseCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)))
      return { at: new Date(at), id };
  } catch {
    // Refused below, as any other malformed cursor.
  }
  throw apiError('validation_failed', 'query.after: not a cursor this list gave', {
    errors: [{ field: 'query.after', message: 'not a cursor this list gave' }],
  });
}

/** A governed call's refusal keeps its own code (`policy_blocked`, `budget_exceeded`, …). */
const governed = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    // The embedding request is ours, so an invalid one means the org's embedder cannot serve it (no key).
    if (error instanceof GatewayRefusal && error.code === 'invalid_request')
      throw apiError('document_embedder_unavailable', error.message);
    if (error instanceof GatewayRefusal) throw apiError(error.code as ErrorCode, error.message);
    throw error;
  }
};

/** Text PostgreSQL can store and the chain can hash: no NUL, no unpaired surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storable = (text: string) => text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');

/**
 * A use case's documents: upload (sniff, extract in the bounded worker, chunk, embed through the
 * governed call, store the file by its hash, then the event with its rows in one transaction), list,
 * delete (event, rows and vectors together, then the file when no other document of the case holds
 * it), search, and the org's embedder. Every query is scoped by the caller's org and the case.
 */
export function createDocumentService(options: {
  db: Kysely<unknown>;
  store: EventStore;
  gateway: Pick<Gateway, 'embed'>;
  vectors: VectorStore;
  files: DocumentFiles;
  limits?: ExtractLimits;
}) {
  const { db, store, vectors, files } = options;
  const limits = options.limits ?? DEFAULT_EXTRACT_LIMITS;
  // Uploads of a file not yet committed: a failed or deleted twin must not remove the bytes they need.
  const filesInFlight = new Map<string, number>();
  const fileKey = (f: { org: string; useCaseId: string; sha256: string }) =>
    `${f.org}/${f.useCaseId}/${f.sha256}`;
  const holdFile = (key: string) => {
    filesInFlight.set(key, (filesInFlight.get(key) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (filesInFlight.get(key) ?? 1) - 1;
      if (left === 0) filesInFlight.delete(key);
      else filesInFlight.set(key, left);
    };
  };

  const embedderOf = async (org: string): Promise<EmbedderChoice> => {
    const { rows } = await sql<{ provider: string; model: string }>`SELECT provider, model
      FROM document_settings WHERE org = ${org}`.execute(db);
    return rows[0] ? (rows[0] as EmbedderChoice) : DEMO_EMBEDDER;
  };

  const row = async (org: string, useCaseId: string, documentId: string) => {
    const { rows } = await sql<DocumentRow>`SELECT * FROM documents WHERE org = ${org}
      AND use_case_id = ${useCaseId} AND id = ${documentId}`.execute(db);
    if (!rows[0]) throw apiError('document_not_found', `use case ${useCaseId} has no document ${documentId}`);
    return rows[0];
  };

  const service = {
    embedderOf,

    async upload(input: {
      org: string;
      actor: Actor;
      useCaseId: string;
      fileName: string;
      declaredType: string;
      title?: string | undefined;
      bytes: Uint8Array;
    }): Promise<DocumentSummary> {
      const { org, actor, useCaseId, bytes } = input;
      await assertUseCaseExists({ store, org, useCaseId });
      const fileName = plainFileName(input.fileName);
      if (bytes.length === 0) throw apiError('document_unreadable', 'the file is empty');
      if (bytes.length > limits.fileBytes)
        throw apiError('document_too_large', `the file is larger than ${limits.fileBytes} bytes`);
      const type = sniffDocumentType({ bytes, declaredType: input.declaredType, fileName });
      const blocks = await extractDocument({ bytes, type, limits });
      const chunks = chunkBlocks(blocks.map((b) => ({ ...b, text: storable(b.text) })));
      if (chunks.length === 0) throw apiError('document_unreadable', 'no text could be extracted');
      const characters = chunks.reduce((n, c) => n + c.text.length, 0);
      const choice = await embedderOf(org);
      const embedder = embedderLabel(choice);
      const embedded: Embedded = await governed(() =>
        embedGoverned({ gateway: options.gateway, org, actor, choice, texts: chunks.map((c) => c.text) }),
      );
      const documentId = newId('doc');
      const sha256 = hash('sha256', bytes, 'hex');
      const chunkRows = chunks.map((c) => ({
        id: `${documentId}:${c.index}`,
        documentId,
        index: c.index,
        text: c.text,
      }));
      const points = chunkRows.map((c, i) => ({ chunkId: c.id, documentId, vector: embedded.vectors[i]! }));
      const scope = { org, useCaseId, embedder };
      const title = storable(input.title ?? fileName).slice(0, 200);
      const releaseFile = holdFile(fileKey({ org, useCaseId, sha256 }));
      try {
        await files.put({ org, useCaseId, sha256, bytes });
        if (!vectors.transactional) await vectors.upsert({ scope, points });
        await handleDocumentCommand({
          store,
          org,
          actor,
          command: {
            type: 'upload',
            document: {
              documentId,
              useCaseId,
              title,
              type,
              sha256,
              sizeBytes: bytes.length,
              characters,
              chunks: chunks.length,
              embedder,
              embeddingRequestIds: embedded.requestIds,
            },
          },
          inline: async (trx, appended) => {
            const at = appended[0]!.time;
            await sql`INSERT INTO documents (id, org, use_case_id, title, type, sha256, size_bytes, characters,
              chunks, embedder, uploaded_by, uploaded_at) VALUES (${documentId}, ${org}, ${useCaseId}, ${title},
              ${type}, ${sha256}, ${bytes.length}, ${characters}, ${chunks.length}, ${embedder}, ${actor.id},
              ${at})`.execute(trx);
            await writeChunks({ db: trx, org, useCaseId, chunks: chunkRows });
            if (vectors.transactional) await vectors.upsert({ db: trx, scope, points });
          },
        });
      } catch (error) {
        if (!vectors.transactional) await vectors.deleteDocument({ scope, documentId }).catch(() => {});
        releaseFile();
        await service.dropFileIfUnused({ org, useCaseId, sha256 });
        throw error;
      } finally {
        releaseFile();
      }
      return summaryOf(await row(org, useCaseId, documentId));
    },

    async dropFileIfUnused(input: { org: string; useCaseId: string; sha256: string }) {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM documents WHERE org = ${input.org}
        AND use_case_id = ${input.useCaseId} AND sha256 = ${input.sha256}`.execute(db);
      if ((rows[0]?.n ?? 0) === 0 && !filesInFlight.has(fileKey(input))) await files.remove(input);
    },

    async list(input: {
      org: string;
      useCaseId: string;
      after?: string;
      limit: number;
    }): Promise<DocumentList> {
      await assertUseCaseExists({ store, org: input.org, useCaseId: input.useCaseId });
      const after = input.after === undefined ? undefined : parseCursor(input.after);
      const { rows } = await sql<DocumentRow>`SELECT * FROM documents WHERE org = ${input.org}
        AND use_case_id = ${input.useCaseId}
        ${after ? sql`AND (uploaded_at, id) < (${after.at}, ${after.id})` : sql``}
        ORDER BY uploaded_at DESC, id DESC LIMIT ${input.limit + 1}`.execute(db);
      const page = rows.slice(0, input.limit);
      return {
        documents: page.map(summaryOf),
        next: rows.length > input.limit ? cursorOf(page.at(-1)!) : null,
      };
    },

    async remove(input: {
      org: string;
      actor: Actor;
      useCaseId: string;
      documentId: string;
    }): Promise<DocumentDeleted> {
      const { org, useCaseId, documentId } = input;
      await assertUseCaseExists({ store, org, useCaseId });
      const found = await row(org, useCaseId, documentId);
      const scope = { org, useCaseId, embedder: found.embedder };
      let removed = 0;
      await handleDocumentCommand({
        store,
        org,
        actor: input.actor,
        command: { type: 'delete', documentId, useCaseId },
        inline: async (trx) => {
          removed = await deleteChunks({ db: trx, org, useCaseId, documentId });
          if (vectors.transactional) await vectors.deleteDocument({ db: trx, scope, documentId });
          await sql`DELETE FROM documents WHERE org = ${org} AND id = ${documentId}`.execute(trx);
        },
      });
      if (!vectors.transactional) await vectors.deleteDocument({ scope, documentId });
      await service.dropFileIfUnused({ org, useCaseId, sha256: found.sha256 });
      return { id: documentId, chunks: removed };
    },

    async search(input: {
      org: string;
      actor: Actor;
      useCaseId: string;
      query: string;
      k: number;
      mode: SearchMode;
      runId?: string;
    }): Promise<SearchHit[]> {
      const { org, actor, useCaseId } = input;
      await assertUseCaseExists({ store, org, useCaseId });
      return governed(() =>
        retrieveForCase({
          db,
          vectors,
          org,
          useCaseId,
          query: input.query,
          k: input.k,
          mode: input.mode,
          embedQuery: async ({ embedder, text }) => {
            const {
              vectors: [vector],
            } = await embedGoverned({
              gateway: options.gateway,
              org,
              actor,
              choice: parseEmbedderLabel(embedder),
              texts: [text],
              ...(input.runId ? { runId: input.runId } : {}),
            });
            return vector!;
          },
        }),
      );
    },

    async settings(org: string): Promise<DocumentSettings> {
      const choice = await embedderOf(org);
      return { embedder: { ...choice, label: embedderLabel(choice) } };
    },

    async choose(input: {
      org: string;
      actor: Actor;
      settings: EmbedderSettings;
    }): Promise<DocumentSettings> {
      const { provider } = input.settings;
      const model = provider === 'demo' ? DEMO_EMBEDDER.model : input.settings.model;
      if (!model)
        throw apiError('validation_failed', `body.model: name the ${provider} embedding model`, {
          errors: [{ field: 'body.model', message: `name the ${provider} embedding model` }],
        });
      await handleDocumentSettingsCommand({
        store,
        org: input.org,
        actor: input.actor,
        command: { type: 'choose', provider, model },
        inline: async (trx) => {
          await sql`INSERT INTO document_settings (org, provider, model) VALUES (${input.org}, ${provider}, ${model})
            ON CONFLICT (org) DO UPDATE SET provider = excluded.provider, model = excluded.model`.execute(
            trx,
          );
        },
      });
      return service.settings(input.org);
    },
  };
  return service;
}

export type DocumentService = ReturnType<typeof createDocumentService>;
