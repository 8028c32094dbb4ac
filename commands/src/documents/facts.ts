import type { Fact } from '../kit/fact.js';

/** The events of one document, subject `document/<document id>`. */
export type DocumentFact = Fact<'cp.usecase.document.uploaded' | 'cp.usecase.document.deleted'>;
/** The org's embedder choice, subject `document-settings/embedder`. */
export type DocumentSettingsFact = Fact<'cp.usecase.document.embedder.chosen'>;

export const documentSubject = (documentId: string) => `document/${documentId}`;
export const DOCUMENT_SETTINGS_SUBJECT = 'document-settings/embedder';
