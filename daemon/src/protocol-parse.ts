import type { z } from 'zod';
import { type CloudMessage, cloudMessage, type DaemonMessage, daemonMessage } from './protocol.js';
import { toolCallOf, toolResultOf } from './protocol-hot-path.js';

/** Parses a frame holding one message from the cloud; `undefined` when it is not valid JSON or not a known message. */
export function parseCloudMessage(text: string): CloudMessage | undefined {
  const json = parseJson(text);
  return json === undefined ? undefined : cloudMessageOf(json);
}

/** Parses a frame holding one message from a daemon, for the server end. */
export function parseDaemonMessage(text: string): DaemonMessage | undefined {
  const json = parseJson(text);
  return json === undefined ? undefined : daemonMessageOf(json);
}

/** Validates one decoded message from the cloud (a frame's value or an element of a batch). */
export function cloudMessageOf(value: unknown): CloudMessage | undefined {
  return toolCallOf(value) ?? validWith(cloudMessage, value);
}

/** Validates one decoded message from a daemon. */
export function daemonMessageOf(value: unknown): DaemonMessage | undefined {
  return toolResultOf(value) ?? validWith(daemonMessage, value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function validWith<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
