import type { JSONObject, SharedV3ProviderOptions } from '@ai-sdk/provider';
import type { ModelMessage } from 'ai';
import { sanitiseGeminiSchema } from './gemini-schema.js';
import type {
  CacheControl,
  ChatMessage,
  ChatRequest,
  FinishReason,
  ReasoningPart,
  ToolDefinition,
} from './types.js';

/** A cache breakpoint where Anthropic's SDK model reads it: `providerOptions.anthropic.cacheControl`. */
export const cacheOptions = (
  cacheControl: CacheControl | undefined,
): { providerOptions: SharedV3ProviderOptions } | Record<string, never> =>
  cacheControl ? { providerOptions: { anthropic: { cacheControl: { ...cacheControl } as JSONObject } } } : {};

/** Thinking sent back as a reasoning part, its signature or encrypted data where the SDK model reads it. */
const reasoningPart = (r: ReasoningPart) =>
  r.type === 'thinking'
    ? { type: 'reasoning' as const, text: r.text, providerOptions: { anthropic: { signature: r.signature } } }
    : { type: 'reasoning' as const, text: '', providerOptions: { anthropic: { redactedData: r.data } } };

const parseArguments = (args: string): unknown => {
  try {
    return JSON.parse(args || '{}');
  } catch {
    return args;
  }
};

/**
 * Normalised messages → AI SDK messages; system messages are folded into the system prompt, or kept as
 * separate system blocks when one of them is a cache breakpoint (only Anthropic carries those).
 */
export function toModelMessages(request: ChatRequest): {
  system?: string;
  systemBlocks?: { content: string; cacheControl?: CacheControl }[];
  messages: ModelMessage[];
} {
  const systems: { content: string; cacheControl?: CacheControl }[] = request.system
    ? [{ content: request.system }]
    : [];
  const messages: ModelMessage[] = [];
  for (const m of request.messages as ChatMessage[]) {
    switch (m.role) {
      case 'system':
        systems.push(
          m.cacheControl ? { content: m.content, cacheControl: m.cacheControl } : { content: m.content },
        );
        break;
      case 'user':
        // Media parts are the prompt builder's (model-call.ts): it replaces this content with the parts.
        messages.push({ role: 'user', content: typeof m.content === 'string' ? m.content : '' });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant',
          ...cacheOptions(m.cacheControl),
          content: [
            ...(m.reasoning ?? []).map(reasoningPart),
            ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
            ...(m.toolCalls ?? []).map((c) => ({
              type: 'tool-call' as const,
              toolCallId: c.id,
              toolName: c.name,
              input: parseArguments(c.arguments),
            })),
          ],
        });
        break;
      case 'tool':
        messages.push({
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: m.toolCallId,
              toolName: m.toolName,
              output: { type: 'text', value: m.content },
              ...cacheOptions(m.cacheControl),
            },
          ],
        });
        break;
      default: {
        const never: never = m;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }
  if (systems.some((s) => s.cacheControl)) return { systemBlocks: systems, messages };
  return {
    ...(systems.length > 0 ? { system: systems.map((s) => s.content).join('\n\n') } : {}),
    messages,
  };
}

/** The request's tool definitions with the schemas this vendor accepts (Gemini's keep fewer keywords). */
export function vendorTools(request: ChatRequest): {
  tools: ToolDefinition[];
  removedSchemaKeywords: string[];
} {
  const removed = new Set<string>();
  const tools = (request.tools ?? []).map((t) => {
    if (request.provider !== 'gemini') return t;
    const s = sanitiseGeminiSchema({ schema: t.parameters });
    for (const k of s.removedKeywords) removed.add(k);
    return { ...t, parameters: s.schema };
  });
  return { tools, removedSchemaKeywords: [...removed].sort() };
}

export function toFinishReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool-calls':
    case 'content-filter':
    case 'error':
      return reason;
    default:
      return 'other';
  }
}
