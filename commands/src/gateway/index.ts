export {
  CARRIED,
  REQUEST_FEATURES,
  type RequestFeature,
  requestFeatures,
  requestMedia,
  uncarriedFeatures,
} from '../providers/capabilities.js';
export type {
  MediaPart,
  MediaSource,
  ReasoningEffort,
  ResponseFormat,
  UserPart,
} from '../providers/types.js';
export { callArgsSha256 } from './approval.js';
export type { CallOutcome } from './audit.js';
export type {
  ApprovalFact,
  CallDecision,
  CallFacts,
  CallNeed,
  CallPlan,
  CallRefusal,
  ReservationFact,
} from './call-facts.js';
export { auditRefusedRequest, type CallFailedParty, callFailedEvent, callSubject } from './call-failed.js';
export { decideCall } from './decide-call.js';
export type { GatewayApprovals, GatewayDeps } from './deps.js';
export { GatewayRefusal, REFUSAL_STATUS, type RefusalCode } from './errors.js';
export type { PreparedCall } from './gates.js';
export { createGateway, type Gateway, type GovernedResult, type GovernedStream } from './governed-call.js';
export { migrateGateway } from './migrations.js';
export { type ActivePolicy, createPolicyStore, POLICY_SUBJECT, type PolicyStore } from './policies.js';
export { resolveProvider } from './resolve-provider.js';
export { requestTexts, withTexts } from './texts.js';
export type { GateTimings, GatewayCall, GatewayCaller, GatewayRoute, GatewaySettings } from './types.js';
