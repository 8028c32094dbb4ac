/*
 * The contract's closed lists and message names, in a module without zod: a client that needs only
 * these (a filter's options, an SSE event name) bundles no validator. Each capability's file
 * re-exports its own and builds its schemas on them.
 */

/** The kinds a producer may start a run as (docs/runs.md). */
export const RUN_KINDS = [
  'workflow',
  'remediation',
  'multi-agent',
  'cross-vendor',
  'gateway-session',
  'skill',
  'quality-judge',
  'coder',
  'parallel-universe',
] as const;
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export const RUN_WINDOWS = ['24h', '7d', '30d'] as const;
/** The name of each message of `GET /api/runs/:id/stream`; its data is a `RunTree`. */
export const RUN_STREAM_EVENT = 'tree';

export const ACTOR_KINDS = ['user', 'apikey', 'device', 'agent', 'system'] as const;
/** The name of each message of `GET /api/audit/stream`; its data is one `AuditEvent`. */
export const AUDIT_STREAM_EVENT = 'audit';

export const HITL_KINDS = [
  'llm_call',
  'tool_call',
  'mcp_call',
  'workflow_step',
  'consensus',
  'pu_promotion',
] as const;
/**
 * The target of a `pu_promotion` request: the Parallel Universe item and what it becomes once a person
 * approves (a gene proposal or a coder session).
 */
export const PU_PROMOTION_TARGET = /^pu-item\/(pu_[0-9a-f]{24})\/(gene|coder)$/;
export const HITL_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const;
export const HITL_RISKS = ['low', 'medium', 'high'] as const;
/**
 * The messages of `GET /api/hitl/stream`. They carry ids and a status only: a client re-reads
 * the queue, so a missed or repeated message costs nothing.
 */
export const HITL_STREAM_EVENTS = ['hitl.requested', 'hitl.resolved'] as const;

/** Stable entity names: policy documents and audit events hold them, so none is ever renamed. */
export const DLP_ENTITY_TYPES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
  'JWT',
  'PRIVATE_KEY',
  'API_SECRET',
] as const;
/** What the gate does with a finding of one entity type. */
export const DLP_ACTIONS = ['allow', 'mask', 'block', 'hitl'] as const;
export const POLICY_DECISIONS = ['allow', 'block', 'hitl'] as const;

/** Roles inside one organisation, strongest first. API keys are never owners. */
export const ROLES = ['owner', 'admin', 'member'] as const;
export const API_KEY_ROLES = ['admin', 'member'] as const;
export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;

export const COST_DIMENSIONS = ['user', 'apikey', 'model', 'agent'] as const;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The providers an org can set its own key for (every provider but the offline `demo`). */
export const KEYABLE_PROVIDERS = ['openai', 'anthropic', 'gemini', 'deepseek', 'openai-compatible'] as const;
