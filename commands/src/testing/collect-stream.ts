import type { ChatDelta, FinishReason, ToolCall, Usage } from '../providers/types.js';

export interface CollectedStream {
  deltas: ChatDelta[];
  text: string;
  toolCalls: ToolCall[];
  finish?: { finishReason: FinishReason; usage: Usage; attempts: number; removedSchemaKeywords: string[] };
}

/** Drains a normalised stream and reassembles text and tool calls the way a client would. */
export async function collectStream(stream: AsyncIterable<ChatDelta>): Promise<CollectedStream> {
  const out: CollectedStream = { deltas: [], text: '', toolCalls: [] };
  for await (const d of stream) {
    out.deltas.push(d);
    if (d.type === 'text') out.text += d.text;
    else if (d.type === 'tool-call-delta') {
      let call = out.toolCalls[d.index];
      if (!call) {
        call = { id: d.id, name: '', arguments: '' };
        out.toolCalls[d.index] = call;
      }
      if (d.name) call.name = d.name;
      call.arguments += d.argumentsDelta;
    } else if (d.type === 'finish') {
      const { type: _type, ...finish } = d;
      out.finish = finish;
    }
  }
  return out;
}
