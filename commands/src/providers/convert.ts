import type { ModelMessage } from 'ai';
import { sanitiseGeminiSchema } from './gemini-schema.js';
import type { ChatMessage, ChatRequest, FinishReason, ToolDefinition } from './types.js';

const parseArguments = (args: string): unknown => {
  try {
    return JSON.parse(args || '{}');
  } catch {
    return args;
  }
};

/** Normalised messages → AI SDK messages; system messages are folded into the system prompt. */
export function toModelMessages(request: ChatRequest): { system?: string; messages: ModelMessage[] } {
  const systems = request.system ? [request.system] : [];
  const messages: ModelMessage[] = [];
  for (const m of request.messages as ChatMessage[]) {
    switch (m.role) {
      case 'system':
        systems.push(m.content);
        break;
      case 'user':
        // Media parts are the prompt builder's (model-call.ts): it replaces this content with the parts.
        messages.push({ role: 'user', content: typeof m.content === 'string' ? m.content : '' });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant',
          content: [
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
  return { ...(systems.length > 0 ? { system: systems.join('\n\n') } : {}), messages };
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
