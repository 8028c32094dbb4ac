import type { Actor, EventData, NewEvent } from '@proofpane/core';

type Event<T extends 'cp.tool.refused' | 'cp.tool.called' | 'cp.tool.completed'> = NewEvent<T, EventData<T>>;

/** What every event of one tool call carries: its subject, who asked, and the run's meta when it joined one. */
export interface ToolCallEnvelope {
  callId: string;
  actor: Actor;
  meta: Record<string, string>;
}

export const toolCallSubject = (callId: string) => `tool-call/${callId}`;

const envelope = (e: ToolCallEnvelope) => ({
  subject: toolCallSubject(e.callId),
  actor: e.actor,
  meta: e.meta,
});

export function toolRefusedEvent(
  e: ToolCallEnvelope,
  data: Omit<EventData<'cp.tool.refused'>, 'callId'>,
): Event<'cp.tool.refused'> {
  return { type: 'cp.tool.refused', ...envelope(e), data: { callId: e.callId, ...data } };
}

export function toolCalledEvent(
  e: ToolCallEnvelope,
  data: Omit<EventData<'cp.tool.called'>, 'callId'>,
): Event<'cp.tool.called'> {
  return { type: 'cp.tool.called', ...envelope(e), data: { callId: e.callId, ...data } };
}

export function toolCompletedEvent(
  e: ToolCallEnvelope,
  data: Omit<EventData<'cp.tool.completed'>, 'callId'>,
): Event<'cp.tool.completed'> {
  return { type: 'cp.tool.completed', ...envelope(e), data: { callId: e.callId, ...data } };
}
