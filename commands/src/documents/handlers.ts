import type { Actor, EventEnvelope, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import {
  type DocumentCommand,
  type DocumentSettingsCommand,
  documentDecider,
  documentSettingsDecider,
} from './decide.js';
import { DOCUMENT_SETTINGS_SUBJECT, documentSubject } from './facts.js';

/** A document command, appended at the version read, with its rows in `inline` (same transaction). */
export const handleDocumentCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: DocumentCommand;
  inline?: InlineWrite | undefined;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: documentSubject(
      options.command.type === 'upload' ? options.command.document.documentId : options.command.documentId,
    ),
    decider: documentDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });

export const handleDocumentSettingsCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: DocumentSettingsCommand;
  inline?: InlineWrite | undefined;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: DOCUMENT_SETTINGS_SUBJECT,
    decider: documentSettingsDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });
