import { parentPort, workerData } from 'node:worker_threads';
import type { DocumentType } from '@proofpane/api';
import { ExtractFailure } from './extract-failure.js';
import { extractBlocks } from './extract-text.js';
import type { ExtractLimits } from './limits.js';

/** One extraction, in its own thread: the launcher bounds its heap and kills it past the time limit. */
const { bytes, type, limits } = workerData as {
  bytes: Uint8Array;
  type: DocumentType;
  limits: ExtractLimits;
};
extractBlocks({ bytes, type, limits }).then(
  (blocks) => parentPort?.postMessage({ ok: true, blocks }),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      code: error instanceof ExtractFailure ? error.code : 'document_unreadable',
      message: error instanceof ExtractFailure ? error.message : 'the file could not be parsed',
    }),
);
