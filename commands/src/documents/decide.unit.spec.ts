import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { documentDecider, documentSettingsDecider } from './decide.js';
import { DocumentError } from './errors.js';
import type { DocumentFact } from './facts.js';

const spec = deciderSpec(documentDecider);
const document = {
  documentId: 'doc_1',
  useCaseId: 'uc_1',
  title: 'Retention policy',
  type: 'markdown' as const,
  sha256: 'a'.repeat(64),
  sizeBytes: 120,
  characters: 110,
  chunks: 2,
  embedder: 'demo/hashed-ngrams-384',
  embeddingRequestIds: ['req_1'],
};
const uploaded: DocumentFact = { type: 'cp.usecase.document.uploaded', data: document };
const refusedWith = (code: string) => (e: unknown) => e instanceof DocumentError && e.code === code;

describe('the document decider', () => {
  it('records an upload once', () => {
    spec.given([]).when({ type: 'upload', document }).then([uploaded]);
    spec.given([uploaded]).when({ type: 'upload', document }).thenThrows(refusedWith('document_exists'));
  });

  it('deletes through the case the document belongs to, once, with its chunk count', () => {
    spec
      .given([uploaded])
      .when({ type: 'delete', documentId: 'doc_1', useCaseId: 'uc_1' })
      .then([
        { type: 'cp.usecase.document.deleted', data: { documentId: 'doc_1', useCaseId: 'uc_1', chunks: 2 } },
      ]);
    spec
      .given([uploaded])
      .when({ type: 'delete', documentId: 'doc_1', useCaseId: 'uc_2' })
      .thenThrows(refusedWith('document_not_found'));
    const deleted: DocumentFact = {
      type: 'cp.usecase.document.deleted',
      data: { documentId: 'doc_1', useCaseId: 'uc_1', chunks: 2 },
    };
    spec
      .given([uploaded, deleted])
      .when({ type: 'delete', documentId: 'doc_1', useCaseId: 'uc_1' })
      .thenThrows(refusedWith('document_not_found'));
    spec
      .given([])
      .when({ type: 'delete', documentId: 'doc_1', useCaseId: 'uc_1' })
      .thenThrows(refusedWith('document_not_found'));
  });
});

describe('the embedder choice', () => {
  const settings = deciderSpec(documentSettingsDecider);
  const chosen = {
    type: 'cp.usecase.document.embedder.chosen' as const,
    data: { provider: 'openai' as const, model: 'text-embedding-3-small' },
  };
  it('records a change and nothing when the same embedder is chosen again', () => {
    settings
      .given([])
      .when({ type: 'choose', provider: 'openai', model: 'text-embedding-3-small' })
      .then([chosen]);
    settings
      .given([chosen])
      .when({ type: 'choose', provider: 'openai', model: 'text-embedding-3-small' })
      .then([]);
    expect(
      documentSettingsDecider.decide({ type: 'choose', provider: 'demo', model: 'x' }, undefined),
    ).toHaveLength(1);
  });
});
