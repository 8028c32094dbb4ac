export {
  checkpointSignedEvent,
  packExportedEvent,
  type SignedCheckpoint,
  signingKeyRotatedEvent,
} from './events.js';
export { recordCheckpoint, recordPackExport, recordSigningKeyRotation } from './handlers.js';
