import type { ChatDelta, ChatResult, FinishReason, TokenLogprob, ToolCall, Usage } from '../commands.js';
import type { ResponsesBody } from './responses-request.js';

type Status = 'in_progress' | 'completed' | 'incomplete';

const INCOMPLETE: Partial<Record<FinishReason, string>> = {
  length: 'max_output_tokens',
  'content-filter': 'content_filter',
};

const usageOf = (u: Usage) => ({
  input_tokens: u.inputTokens,
  input_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
  output_tokens: u.outputTokens,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: u.inputTokens + u.outputTokens,
});

/** An answer's text part; `logprobs` holds the tokens' log probabilities when the caller included them. */
const textPart = (text: string, logprobs: TokenLogprob[] | undefined) => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: logprobs ?? [],
});

const messageItem = (
  requestId: string,
  text: string,
  status: 'in_progress' | 'completed',
  logprobs?: TokenLogprob[],
) => ({
  type: 'message',
  id: `msg_${requestId}`,
  status,
  role: 'assistant',
  content: status === 'in_progress' ? [] : [textPart(text, logprobs)],
});

const callItem = (call: ToolCall, status: 'in_progress' | 'completed') => ({
  type: 'function_call',
  id: `fc_${call.id}`,
  call_id: call.id,
  name: call.name,
  arguments: call.arguments,
  status,
});

/** The `response` object: what the caller asked for echoed, the output items, status and usage. */
function responseObject(options: {
  requestId: string;
  body: ResponsesBody;
  createdAt: number;
  status: Status;
  finishReason?: FinishReason;
  output: unknown[];
  usage: Usage | null;
}) {
  const { body, finishReason } = options;
  const incomplete = finishReason ? INCOMPLETE[finishReason] : undefined;
  return {
    id: `resp_${options.requestId}`,
    object: 'response',
    created_at: options.createdAt,
    status: options.status,
    error: null,
    incomplete_details: incomplete ? { reason: incomplete } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output: options.output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    // Nothing is kept: the gateway stores hashes of prompts and answers, never the answers.
    store: false,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: (body.tools ?? []).map((t) => ({
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: t.parameters ?? null,
      strict: t.strict ?? true,
    })),
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: options.usage ? usageOf(options.usage) : null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

const statusOf = (finishReason: FinishReason): Status =>
  INCOMPLETE[finishReason] ? 'incomplete' : 'completed';

/** A finished call as a Responses answer: a message item for the text, a function_call item per call. */
export function toResponse(options: {
  requestId: string;
  body: ResponsesBody;
  result: ChatResult;
  createdAt: number;
}) {
  const { requestId, result } = options;
  return responseObject({
    ...options,
    status: statusOf(result.finishReason),
    finishReason: result.finishReason,
    output: [
      ...(result.text || result.toolCalls.length === 0
        ? [messageItem(requestId, result.text, 'completed', result.logprobs)]
        : []),
      ...result.toolCalls.map((c) => callItem(c, 'completed')),
    ],
    usage: result.usage,
  });
}

type Open =
  | { kind: 'text'; outputIndex: number; text: string }
  | { kind: 'call'; outputIndex: number; call: ToolCall };

/**
 * Turns normalised deltas into the Responses stream: `response.created`, `response.in_progress`, then per
 * output item `response.output_item.added`, its deltas (`response.output_text.delta` after
 * `response.content_part.added`, or `response.function_call_arguments.delta`), and at the end each item's
 * `.done` events and `response.completed` (or `response.incomplete`) with the whole response. Items stay
 * open until the finish because the DLP restorer releases held-back tails of any item only then.
 */
export function createResponsesStreamer(options: {
  requestId: string;
  body: ResponsesBody;
  createdAt: number;
}) {
  const { requestId } = options;
  let sequence = 0;
  const frame = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const items: Open[] = [];
  let text: (Open & { kind: 'text' }) | undefined;
  const calls = new Map<number, Open & { kind: 'call' }>();
  const base = (status: Status, output: unknown[], usage: Usage | null, finishReason?: FinishReason) =>
    responseObject({ ...options, status, output, usage, ...(finishReason ? { finishReason } : {}) });
  const itemId = (o: Open) => (o.kind === 'text' ? `msg_${requestId}` : `fc_${o.call.id}`);

  return {
    start: () => [
      frame('response.created', { response: base('in_progress', [], null) }),
      frame('response.in_progress', { response: base('in_progress', [], null) }),
    ],
    delta(d: ChatDelta): string[] {
      const out: string[] = [];
      if (d.type === 'text') {
        if (!d.text) return out;
        if (!text) {
          text = { kind: 'text', outputIndex: items.length, text: '' };
          items.push(text);
          out.push(
            frame('response.output_item.added', {
              output_index: text.outputIndex,
              item: messageItem(requestId, '', 'in_progress'),
            }),
            frame('response.content_part.added', {
              item_id: itemId(text),
              output_index: text.outputIndex,
              content_index: 0,
              part: { type: 'output_text', text: '', annotations: [] },
            }),
          );
        }
        text.text += d.text;
        out.push(
          frame('response.output_text.delta', {
            item_id: itemId(text),
            output_index: text.outputIndex,
            content_index: 0,
            delta: d.text,
            logprobs: [],
          }),
        );
        return out;
      }
      if (d.type === 'tool-call-delta') {
        let open = calls.get(d.index);
        if (!open) {
          open = {
            kind: 'call',
            outputIndex: items.length,
            call: { id: d.id, name: d.name ?? '', arguments: '' },
          };
          calls.set(d.index, open);
          items.push(open);
          out.push(
            frame('response.output_item.added', {
              output_index: open.outputIndex,
              item: callItem(open.call, 'in_progress'),
            }),
          );
        }
        if (d.name) open.call.name = d.name;
        if (d.argumentsDelta) {
          open.call.arguments += d.argumentsDelta;
          out.push(
            frame('response.function_call_arguments.delta', {
              item_id: itemId(open),
              output_index: open.outputIndex,
              delta: d.argumentsDelta,
            }),
          );
        }
        return out;
      }
      // Reasoning items are not rendered: the gateway keeps only Anthropic's thinking, never asked for here.
      if (d.type !== 'finish') return out;
      const done: unknown[] = [];
      for (const o of items) {
        const output_index = o.outputIndex;
        if (o.kind === 'text') {
          // Log probabilities arrive with the finish (the SDK model gathers them to the end), so only the
          // `.done` events and the completed response carry them; each delta's list stays empty.
          const part = textPart(o.text, d.logprobs);
          const item = messageItem(requestId, o.text, 'completed', d.logprobs);
          out.push(
            frame('response.output_text.done', {
              item_id: itemId(o),
              output_index,
              content_index: 0,
              text: o.text,
              logprobs: d.logprobs ?? [],
            }),
            frame('response.content_part.done', { item_id: itemId(o), output_index, content_index: 0, part }),
            frame('response.output_item.done', { output_index, item }),
          );
          done.push(item);
        } else {
          const item = callItem(o.call, 'completed');
          out.push(
            frame('response.function_call_arguments.done', {
              item_id: itemId(o),
              output_index,
              name: o.call.name,
              arguments: o.call.arguments,
            }),
            frame('response.output_item.done', { output_index, item }),
          );
          done.push(item);
        }
      }
      const status = statusOf(d.finishReason);
      out.push(
        frame(status === 'completed' ? 'response.completed' : 'response.incomplete', {
          response: base(status, done, d.usage, d.finishReason),
        }),
      );
      return out;
    },
  };
}
