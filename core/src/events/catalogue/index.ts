import type { z } from 'zod';
import type { EventEnvelope, NewEvent } from '../envelope.js';
import { coderEvents } from './coder.js';
import { complianceEvents } from './compliance.js';
import { crossVendorEvents } from './cross-vendor-evals.js';
import { deviceEvents } from './devices.js';
import { documentEvents } from './documents.js';
import { evidenceEvents } from './evidence.js';
import { evolutionEvents } from './evolution.js';
import { gatewayEvents } from './gateway.js';
import { hitlEvents } from './hitl.js';
import { identityEvents } from './identity.js';
import { integrationEvents } from './integrations.js';
import { multiAgentEvents } from './multi-agent.js';
import { parallelUniverseEvents } from './parallel-universe.js';
import { platformEvents } from './platform.js';
import { qualityEvents } from './quality.js';
import { qualityDriftEvents } from './quality-drift.js';
import { qualityJudgeEvents } from './quality-judge.js';
import { runEvents } from './runs.js';
import { skillEvents } from './skills.js';
import { useCaseEvents } from './use-cases.js';
import { workflowAiBuilderEvents } from './workflow-ai-builder.js';
import { workflowEvalEvents, workflowHookEvents, workflowRunEvents } from './workflow-runs.js';
import { workflowEvents } from './workflows.js';

/**
 * Every event type Proofpane may append, with the runtime schema of its `data`.
 * Types read `cp.<area>.<fact in past tense>`; the store refuses anything else.
 */
export const catalogue = {
  ...platformEvents,
  ...evidenceEvents,
  ...evolutionEvents,
  ...deviceEvents,
  ...gatewayEvents,
  ...hitlEvents,
  ...identityEvents,
  ...runEvents,
  ...workflowRunEvents,
  ...workflowHookEvents,
  ...workflowEvalEvents,
  ...skillEvents,
  ...workflowEvents,
  ...workflowAiBuilderEvents,
  ...complianceEvents,
  ...multiAgentEvents,
  ...documentEvents,
  ...crossVendorEvents,
  ...useCaseEvents,
  ...qualityEvents,
  ...qualityDriftEvents,
  ...qualityJudgeEvents,
  ...integrationEvents,
  ...coderEvents,
  ...parallelUniverseEvents,
} as const;

export type Catalogue = typeof catalogue;
export type EventType = keyof Catalogue;
export type EventData<T extends EventType> = z.output<Catalogue[T]>;

/** The discriminated union of every stored event. */
export type AnyEvent = { [T in EventType]: EventEnvelope<T, EventData<T>> }[EventType];
/** The discriminated union of every event a command may append. */
export type AnyNewEvent = { [T in EventType]: NewEvent<T, EventData<T>> }[EventType];

export const isEventType = (type: string): type is EventType => Object.hasOwn(catalogue, type);

/** Narrows a stored envelope to its catalogue type. */
export const isEvent = <T extends EventType>(
  event: EventEnvelope,
  type: T,
): event is EventEnvelope<T, EventData<T>> => event.type === type;
