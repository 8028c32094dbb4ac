import type {
  JSONSchema7,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';
import { toFinishReason, toModelMessages, vendorTools } from './convert.js';
import type { ChatRequest, ChatResult, ToolCall } from './types.js';

/** The SDK's messages in its provider prompt format: user text becomes a text part; the system leads. */
function toPrompt(request: ChatRequest): LanguageModelV3Prompt {
  const { system, messages } = toModelMessages(request);
  const prompt = messages.map((m) =>
    m.role === 'user' && typeof m.content === 'string'
      ? { role: 'user' as const, content: [{ type: 'text' as const, text: m.content }] }
      : m,
  ) as LanguageModelV3Prompt;
  return system === undefined ? prompt : [{ role: 'system', content: system }, ...prompt];
}

function toTools(request: ChatRequest) {
  const { tools, removedSchemaKeywords } = vendorTools(request);
  return {
    removedSchemaKeywords,
    ...(tools.length === 0
      ? {}
      : {
          tools: tools.map((t) => ({
            type: 'function' as const,
            name: t.name,
            ...(t.description ? { description: t.description } : {}),
            inputSchema: t.parameters as JSONSchema7,
          })),
        }),
  };
}

function toToolChoice(request: ChatRequest): LanguageModelV3CallOptions['toolChoice'] {
  const choice = request.toolChoice;
  if (choice === undefined) return undefined;
  return typeof choice === 'string' ? { type: choice } : { type: 'tool', toolName: choice.tool };
}

/** A vendor's arguments string, re-serialised when it is JSON so every vendor's calls read alike. */
function normalisedArguments(input: string): string {
  try {
    return JSON.stringify(JSON.parse(input || '{}'));
  } catch {
    return input;
  }
}

/**
 * One non-streaming attempt straight through the provider model (`doGenerate`). The SDK's
 * `generateText` adds prompt validation, telemetry and multi-step tool loops that a gateway
 * forwarding one call does not use, at about half the CPU of the whole vendor call.
 */
export async function generateOnce(options: {
  model: LanguageModelV3;
  request: ChatRequest;
  abortSignal: AbortSignal;
}): Promise<Omit<ChatResult, 'attempts'>> {
  const { model, request } = options;
  const { tools, removedSchemaKeywords } = toTools(request);
  const toolChoice = toToolChoice(request);
  const result = await model.doGenerate({
    prompt: toPrompt(request),
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    abortSignal: options.abortSignal,
  });
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool-call')
      toolCalls.push({
        id: part.toolCallId,
        name: part.toolName,
        arguments: normalisedArguments(part.input),
      });
  }
  return {
    provider: request.provider,
    model: request.model,
    text,
    toolCalls,
    finishReason: toFinishReason(result.finishReason.unified),
    usage: {
      inputTokens: result.usage.inputTokens.total ?? 0,
      outputTokens: result.usage.outputTokens.total ?? 0,
    },
    removedSchemaKeywords,
  };
}
