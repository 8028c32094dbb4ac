import {
  floatArrayStore,
  migrateDocuments,
  pgvectorStore,
  qdrantStore,
  type VectorStore,
} from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { documentFiles } from './files.js';
import { documentRoutes } from './routes.js';
import { createDocumentService, type DocumentService } from './service.js';

/**
 * Documents of use cases and hybrid search over them. Vectors go to Qdrant when `QDRANT_URL` is set,
 * else to the database: pgvector where the extension exists (PGlite ships it), `real[]` otherwise.
 * `app.documents` is how other capabilities retrieve from a case.
 */
export const documentsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const db = runtime.database.db;
    const { vectors: column } = await migrateDocuments(db);
    const qdrantUrl = process.env.QDRANT_URL;
    const vectors: VectorStore = qdrantUrl
      ? qdrantStore({ url: qdrantUrl, apiKey: process.env.QDRANT_API_KEY })
      : column === 'pgvector'
        ? pgvectorStore(db)
        : floatArrayStore(db);
    const service = createDocumentService({
      db,
      store: runtime.store,
      gateway: app.gateway.gateway,
      vectors,
      files: documentFiles({ dataDir: runtime.config.dataDir }),
    });
    app.decorate('documents', service);
    await app.register(documentRoutes({ service }));
  },
  {
    name: 'proofpane-documents',
    dependencies: ['proofpane-identity', 'proofpane-gateway', 'proofpane-use-cases'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    documents: DocumentService;
  }
}
