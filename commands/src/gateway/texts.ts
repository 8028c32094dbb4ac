import type { ChatMessage, ChatRequest, ToolCall } from '../providers/index.js';

/**
 * Every text of a request that reaches the provider, in a fixed order (system, then each message's
 * content, each text part of a user message on its own, an assistant turn's thinking, text and tool-call
 * arguments), so the policy gate can scan them and the masked versions go back exactly where they came
 * from. Images, documents and encrypted thinking are not texts: DLP cannot read them (the policy's `media`
 * switch decides whether media may leave at all).
 */
export function requestTexts(request: Pick<ChatRequest, 'system' | 'messages'>): string[] {
  const out: string[] = [];
  if (request.system !== undefined) out.push(request.system);
  for (const m of request.messages) {
    if (m.role === 'assistant') {
      for (const r of m.reasoning ?? []) if (r.type === 'thinking') out.push(r.text);
      out.push(m.content ?? '');
      for (const c of m.toolCalls ?? []) out.push(c.arguments);
    } else if (typeof m.content === 'string') out.push(m.content);
    else for (const p of m.content) if (p.type === 'text') out.push(p.text);
  }
  return out;
}

/** The inverse of `requestTexts`: the same request with its texts replaced, in the same order. */
export function withTexts<R extends Pick<ChatRequest, 'system' | 'messages'>>(
  request: R,
  texts: readonly string[],
): R {
  let i = 0;
  const next = () => texts[i++] ?? '';
  const system = request.system !== undefined ? next() : undefined;
  const messages = request.messages.map((m): ChatMessage => {
    if (m.role === 'user' && typeof m.content !== 'string')
      return {
        role: 'user',
        content: m.content.map((p) => (p.type === 'text' ? { ...p, text: next() } : p)),
      };
    if (m.role !== 'assistant') return { ...m, content: next() };
    const reasoning = m.reasoning?.map((r) => (r.type === 'thinking' ? { ...r, text: next() } : r));
    const content = next();
    const toolCalls = m.toolCalls?.map((c): ToolCall => ({ ...c, arguments: next() }));
    return {
      ...m,
      role: 'assistant',
      ...(m.content !== undefined ? { content } : {}),
      ...(toolCalls ? { toolCalls } : {}),
      ...(reasoning ? { reasoning } : {}),
    };
  });
  return { ...request, ...(system !== undefined ? { system } : {}), messages };
}
