import type { Actor, EventStore, InlineWrite } from '@proofpane/core';
import { type Gateway, GatewayRefusal } from '../gateway/index.js';
import { handleCommand } from '../kit/decider.js';
import type { ChatMessage, ProviderId } from '../providers/index.js';
import { runDecider } from '../runs/decider.js';
import { type CoderCommand, coderDecider } from './decide.js';
import { coderSubject } from './facts.js';
import type { CoderState } from './state.js';
import { CODER_TOOLS, sandboxCall, TOOL_GUIDE } from './tools.js';

/** What one governed tool call settled to, as the loop tells the model and records on its iteration. */
export interface CoderToolResult {
  callId: string;
  status: 'completed' | 'failed' | 'refused';
  code?: string;
  /** What the model reads back: the tool's output, capped, or why it failed. */
  text: string;
}

export interface CoderLoopDeps {
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  /** One tool call through the governed path (policy, DLP, HITL, audit), confined to the session's tree. */
  callTool(input: {
    tool: 'read' | 'write' | 'bash';
    args: Record<string, unknown>;
    runId: string;
  }): Promise<CoderToolResult>;
  /** The session's change as it stands: files changed and the diff's SHA-256. */
  summarise(): Promise<{ filesChanged: number; diffSha256: string }>;
}

export interface CoderLoopOptions {
  org: string;
  actor: Actor;
  session: NonNullable<CoderState['session']>;
  model: { provider: ProviderId; model: string };
  /** The `meta.coder` capsule's text, or its base prompt. */
  system: { text: string; capsuleId?: string | undefined };
  /** The `run` tool's timeout. */
  runTimeoutMs: number;
  /** The session's rows the server keeps, written in each of its appends' transactions. */
  inline?: InlineWrite;
}

const newCallId = (iteration: number, index: number) => `coder-${iteration}-${index}`;

/**
 * The tool loop of a session its caller has started (`start`: the decider lets one runner in), as a
 * process: it asks the governed model, executes each tool call through the governed tool path, records
 * every iteration with its tokens, and stops when the model calls `done`, when the iteration or token
 * limit is reached, or when a call fails. The session's run (kind `coder`) holds every call.
 */
export async function runCoderLoop(
  deps: CoderLoopDeps,
  options: CoderLoopOptions,
): Promise<CoderState['finished']> {
  const { org, actor, session } = options;
  const { sessionId, runId } = session;
  const meta = { runId };
  const coder = (command: CoderCommand) =>
    handleCommand({
      store: deps.store,
      org,
      subject: coderSubject(sessionId),
      decider: coderDecider,
      command,
      actor,
      meta,
    });
  const run = (command: Parameters<typeof runDecider.decide>[0]) =>
    handleCommand({
      store: deps.store,
      org,
      subject: `run/${runId}`,
      decider: runDecider,
      command,
      actor,
      meta,
    });

  await run({ type: 'start', kind: 'coder', name: `coder ${session.mode} ${sessionId}`.slice(0, 200) });

  const messages: ChatMessage[] = [{ role: 'user', content: session.goal }];
  let tokens = 0;
  let stop: 'done' | 'iteration_limit' | 'token_limit' | 'failed' = 'iteration_limit';
  let summary: string | undefined;
  let error: string | undefined;
  for (let iteration = 1; iteration <= session.limits.maxIterations; iteration++) {
    if (tokens >= session.limits.maxTokens) {
      stop = 'token_limit';
      break;
    }
    let answer: Awaited<ReturnType<Gateway['complete']>>['result'];
    try {
      answer = (
        await deps.gateway.complete({
          requestId: `${runId}-${iteration}`,
          route: 'coder',
          caller: { org, actor },
          stream: false,
          request: {
            ...options.model,
            system: `${options.system.text}\n\n${TOOL_GUIDE}`,
            messages,
            tools: CODER_TOOLS,
            maxTokens: Math.min(8_192, Math.max(1, session.limits.maxTokens - tokens)),
          },
          run: { id: runId },
          ...(options.system.capsuleId ? { capsuleId: options.system.capsuleId } : {}),
        })
      ).result;
    } catch (caught) {
      stop = 'failed';
      // A refusal's code and message are the catalogue's; anything else may name hosts or keys.
      error =
        caught instanceof GatewayRefusal
          ? `${caught.code}: ${caught.message}`.slice(0, 500)
          : 'provider_error: the model call failed';
      break;
    }
    tokens += answer.usage.inputTokens + answer.usage.outputTokens;
    messages.push({
      role: 'assistant',
      ...(answer.text ? { content: answer.text } : {}),
      ...(answer.toolCalls.length ? { toolCalls: answer.toolCalls } : {}),
    });
    const calls: {
      callId: string;
      tool: 'read' | 'write' | 'run' | 'done';
      status: CoderToolResult['status'];
      code?: string;
    }[] = [];
    let finished = answer.toolCalls.length === 0;
    if (finished) summary = answer.text.slice(0, 2_000);
    for (const [index, call] of answer.toolCalls.slice(0, 20).entries()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(call.arguments || '{}');
      } catch {
        parsed = undefined;
      }
      if (call.name === 'done') {
        const said = (parsed as { summary?: unknown } | undefined)?.summary;
        summary = typeof said === 'string' ? said.slice(0, 2_000) : undefined;
        calls.push({ callId: newCallId(iteration, index), tool: 'done', status: 'completed' });
        messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: 'finished' });
        finished = true;
        break;
      }
      const mapped = sandboxCall(call.name, parsed, options.runTimeoutMs);
      if (!mapped) {
        const known = call.name === 'read' || call.name === 'write' || call.name === 'run';
        calls.push({
          callId: newCallId(iteration, index),
          tool: known ? (call.name as 'read' | 'write' | 'run') : 'run',
          status: 'failed',
          code: 'invalid_arguments',
        });
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          toolName: call.name,
          content: `invalid call: ${call.name} with these arguments is not one of read, write, run, done`,
        });
        continue;
      }
      const result = await deps.callTool({ ...mapped, runId });
      calls.push({
        callId: result.callId,
        tool: call.name as 'read' | 'write' | 'run',
        status: result.status,
        ...(result.code ? { code: result.code.slice(0, 100) } : {}),
      });
      messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: result.text });
    }
    await coder({
      type: 'record',
      iteration: {
        inputTokens: answer.usage.inputTokens,
        outputTokens: answer.usage.outputTokens,
        toolCalls: calls,
      },
    });
    if (finished) {
      stop = 'done';
      break;
    }
    if (tokens >= session.limits.maxTokens) {
      stop = 'token_limit';
      break;
    }
  }
  const change = await deps.summarise();
  const [finished] = await coder({
    type: 'finish',
    outcome: {
      stop,
      ...(summary ? { summary } : {}),
      ...(error ? { error } : {}),
      filesChanged: change.filesChanged,
      diffSha256: change.diffSha256,
    },
  });
  await run({
    type: 'complete',
    status: stop === 'failed' ? 'failed' : 'succeeded',
    ...(error ? { error: error.slice(0, 500) } : {}),
  });
  return (finished?.data as CoderState['finished']) ?? null;
}
