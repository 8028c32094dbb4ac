import { frameValues } from '../frames.js';
import type {
  CloudMessage,
  DaemonMessage,
  ToolCallMessage,
  ToolResultMessage,
  WelcomeMessage,
} from '../protocol.js';
import { cloudMessageOf } from '../protocol-parse.js';
import type { Root } from '../tools/confine.js';
import { INLINE_TOOLS, runTool, type ToolFailure, type ToolOutcome } from '../tools/execute.js';

export interface DispatcherOptions {
  root: Root;
  send: (message: DaemonMessage) => void;
  /** Calls executed at once; further calls wait their turn in arrival order. */
  maxConcurrency: number;
  log: (line: string) => void;
  /** Tools this role runs beyond the seven shared ones (`run`: the coder's `worktree`). */
  extraTools?: Record<string, (args: unknown, signal: AbortSignal) => Promise<ToolOutcome>>;
  /** Told the cloud's greeting, which says the protocol version it speaks. */
  onWelcome?: (message: WelcomeMessage) => void;
}

/**
 * Executes the tool calls of one connection, many at a time. Calls are independent: a slow `bash` never holds
 * up a `read`, and every call gets exactly one `tool.result` unless the connection goes away first.
 */
export function dispatcher(options: DispatcherOptions) {
  const inFlight = new Map<string, AbortController>();
  const waiting: ToolCallMessage[] = [];
  let running = 0;

  const finish = (message: ToolResultMessage) => {
    inFlight.delete(message.id);
    options.send(message);
  };

  const answer = (call: ToolCallMessage, outcome: ToolOutcome, started: number) => {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    finish(
      outcome.ok
        ? { type: 'tool.result', id: call.id, ok: true, result: outcome.result, durationMs }
        : { type: 'tool.result', id: call.id, ok: false, error: outcome.error as ToolFailure, durationMs },
    );
  };

  const start = (call: ToolCallMessage) => {
    const controller = inFlight.get(call.id);
    if (!controller) return;
    running++;
    const started = performance.now();
    const extra =
      options.extraTools && Object.hasOwn(options.extraTools, call.tool)
        ? options.extraTools[call.tool]
        : undefined;
    Promise.resolve(
      extra
        ? extra(call.args, controller.signal)
        : runTool(call.tool, call.args, { root: options.root, signal: controller.signal }),
    )
      .then((outcome) => answer(call, outcome, started))
      .finally(() => {
        running--;
        pump();
      });
  };

  /** An INLINE_TOOLS call has settled when `runTool` returns: answered at once, it needs no queue slot. */
  const runInline = (call: ToolCallMessage) => {
    const started = performance.now();
    const outcome = runTool(call.tool, call.args, { root: options.root });
    if (outcome instanceof Promise) outcome.then((settled) => answer(call, settled, started));
    else answer(call, outcome, started);
  };

  const pump = () => {
    while (running < options.maxConcurrency && waiting.length > 0) start(waiting.shift()!);
  };

  const handle = (message: CloudMessage) => {
    switch (message.type) {
      case 'tool.call':
        if (inFlight.has(message.id)) {
          options.send({
            type: 'error',
            code: 'duplicate_id',
            message: `call ${message.id} is already running`,
            id: message.id,
          });
          return;
        }
        if (INLINE_TOOLS.has(message.tool)) return runInline(message);
        inFlight.set(message.id, new AbortController());
        waiting.push(message);
        pump();
        return;
      case 'tool.cancel': {
        const controller = inFlight.get(message.id);
        if (!controller) return;
        const queued = waiting.findIndex((c) => c.id === message.id);
        if (queued >= 0) {
          waiting.splice(queued, 1);
          finish({
            type: 'tool.result',
            id: message.id,
            ok: false,
            error: { code: 'aborted', message: 'the call was cancelled before it started' },
            durationMs: 0,
          });
        } else {
          controller.abort();
        }
        return;
      }
      case 'ping':
        options.send(message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
        return;
      case 'welcome':
        options.log(`paired as device ${message.deviceId} of ${message.org}`);
        options.onWelcome?.(message);
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  };

  return {
    /** Handles one text frame from the cloud: a message, or a batch of them handled in order. */
    receive(text: string) {
      const values = frameValues(text);
      if (!values) return options.send(badMessage(undefined));
      for (const value of values) {
        const message = cloudMessageOf(value);
        if (message) handle(message);
        else options.send(badMessage(value));
      }
    },
    /** Cancels everything when the connection closes: the cloud will not be told, so do not keep working. */
    abortAll() {
      waiting.length = 0;
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}

/** The answer to a message the daemon cannot use, naming its id when it has a usable one. */
function badMessage(value: unknown): DaemonMessage {
  const id = (value as { id?: unknown } | undefined)?.id;
  const usable = typeof id === 'string' && id.length > 0 && id.length <= 128;
  return {
    type: 'error',
    code: 'bad_message',
    message: 'not a valid protocol message',
    ...(usable ? { id } : {}),
  };
}
