export { type EventTriggeredWorkflow, runsForEvent } from './event-triggers.js';
export {
  type HookCommand,
  type HookFact,
  type HookRefusal,
  type HookState,
  hookDecider,
  hookSubject,
} from './hook-decide.js';
export { handleHookCommand } from './hook-handlers.js';
export {
  checkHookDelivery,
  derivedRunId,
  HOOK_SIGNATURE_HEADER,
  HOOK_TIMESTAMP_HEADER,
  HOOK_TOLERANCE_SECONDS,
  type HookCheck,
  hookSecret,
  signHookBody,
} from './hook-signature.js';
export { ScheduleBook, type ScheduledWorkflow } from './schedules.js';
