import { z } from 'zod';
import { TOOL_ERROR_CODES } from './tools/tool-error.js';

/**
 * The device WebSocket protocol between the cloud (`GET /api/devices/ws`) and a paired `proofpane-daemon run`.
 * Both ends import these types and schemas; docs/daemon.md is the prose version. A frame is one JSON text
 * message with a `type` or, since version 2, a JSON array of such messages (a batch, see frames.ts).
 * Bump PROTOCOL_VERSION only for changes an older peer would misread.
 */
export const PROTOCOL_VERSION = 2;

/** The first version whose peers read batch frames; neither end sends one before the other has said so. */
export const BATCH_FRAMES_SINCE = 2;

/** Any version a peer may announce: an older peer is still served, a newer one says what it reads. */
const protocolVersion = z.number().int().positive();

/** Close codes with a meaning for the daemon. 4401 is terminal: the daemon stops retrying and exits. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 4400,
  unauthorized: 4401,
  heartbeatTimeout: 4408,
} as const;

const id = z.string().min(1).max(128);

const toolError = z.object({ code: z.enum(TOOL_ERROR_CODES), message: z.string() });

// cloud → daemon

export const toolCallMessage = z.object({
  type: z.literal('tool.call'),
  id,
  tool: z.string().min(1),
  args: z.unknown(),
});

export const toolCancelMessage = z.object({ type: z.literal('tool.cancel'), id });

export const pingMessage = z.object({ type: z.literal('ping'), id: id.optional() });

export const welcomeMessage = z.object({
  type: z.literal('welcome'),
  deviceId: z.string(),
  org: z.string(),
  /** Absent from a version 1 cloud. */
  protocol: protocolVersion.optional(),
});

export const cloudMessage = z.discriminatedUnion('type', [
  toolCallMessage,
  toolCancelMessage,
  pingMessage,
  welcomeMessage,
]);

// daemon → cloud

export const helloMessage = z.object({
  type: z.literal('hello'),
  protocol: protocolVersion,
  version: z.string(),
  deviceId: z.string().optional(),
  platform: z.string(),
  tools: z.array(z.string()),
  maxConcurrency: z.number().int().positive(),
});

export const toolResultMessage = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('tool.result'),
    id,
    ok: z.literal(true),
    result: z.unknown(),
    durationMs: z.number(),
  }),
  z.object({
    type: z.literal('tool.result'),
    id,
    ok: z.literal(false),
    error: toolError,
    durationMs: z.number(),
  }),
]);

export const pongMessage = z.object({ type: z.literal('pong'), id: id.optional() });

export const PROTOCOL_ERROR_CODES = ['bad_message', 'duplicate_id'] as const;

export const protocolErrorMessage = z.object({
  type: z.literal('error'),
  code: z.enum(PROTOCOL_ERROR_CODES),
  message: z.string(),
  id: id.optional(),
});

export const daemonMessage = z.union([helloMessage, toolResultMessage, pongMessage, protocolErrorMessage]);

export type ToolCallMessage = z.infer<typeof toolCallMessage>;
export type ToolCancelMessage = z.infer<typeof toolCancelMessage>;
export type PingMessage = z.infer<typeof pingMessage>;
export type WelcomeMessage = z.infer<typeof welcomeMessage>;
export type CloudMessage = z.infer<typeof cloudMessage>;
export type HelloMessage = z.infer<typeof helloMessage>;
export type ToolResultMessage = z.infer<typeof toolResultMessage>;
export type PongMessage = z.infer<typeof pongMessage>;
export type ProtocolErrorMessage = z.infer<typeof protocolErrorMessage>;
export type DaemonMessage = z.infer<typeof daemonMessage>;
