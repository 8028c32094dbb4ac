import type { Actor } from '@proofpane/core';
import { newId } from '@proofpane/core';
import type { Gateway } from '../gateway/index.js';
import type { EmbeddingProviderId } from '../providers/index.js';
import { DEMO_EMBEDDING_MODEL } from './demo-embedder.js';

/** The embedder an org chose: provider and model. The default is the offline demo one. */
export interface EmbedderChoice {
  provider: EmbeddingProviderId;
  model: string;
}

export const DEMO_EMBEDDER: EmbedderChoice = { provider: 'demo', model: DEMO_EMBEDDING_MODEL };

/** `provider/model`: how chunks, events and searches name an embedder. */
export const embedderLabel = (choice: EmbedderChoice) => `${choice.provider}/${choice.model}`;

export function parseEmbedderLabel(label: string): EmbedderChoice {
  const slash = label.indexOf('/');
  return { provider: label.slice(0, slash) as EmbeddingProviderId, model: label.slice(slash + 1) };
}

export interface Embedded {
  vectors: number[][];
  /** The governed calls (`call/<id>`) that embedded them, in order. */
  requestIds: string[];
}

/** Texts per governed call: well under every provider's per-request input count and token bound. */
const PER_CALL = 64;

/**
 * Embeds texts through the governed call (`Gateway.embed`): each batch is one call through policy,
 * DLP, budget and audit, recorded as `cp.llm.call.completed` with its cost, exactly like a
 * `POST /v1/embeddings`. Throws the gateway's refusal (`GatewayRefusal`) as it comes.
 */
export async function embedGoverned(options: {
  gateway: Pick<Gateway, 'embed'>;
  org: string;
  actor: Actor;
  choice: EmbedderChoice;
  texts: readonly string[];
  runId?: string;
}): Promise<Embedded> {
  const vectors: number[][] = [];
  const requestIds: string[] = [];
  for (let i = 0; i < options.texts.length; i += PER_CALL) {
    const batch = options.texts.slice(i, i + PER_CALL);
    const requestId = newId('req');
    requestIds.push(requestId);
    const { result } = await options.gateway.embed({
      requestId,
      route: 'documents',
      caller: { org: options.org, actor: options.actor },
      stream: false,
      request: {
        provider: options.choice.provider,
        model: options.choice.model,
        messages: batch.map((content) => ({ role: 'user' as const, content })),
        maxTokens: 0,
      },
      ...(options.runId ? { run: { id: options.runId } } : {}),
    });
    vectors.push(...result.embeddings);
  }
  return { vectors, requestIds };
}
