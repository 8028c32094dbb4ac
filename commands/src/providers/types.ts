/** The vendors a governed call can reach; `demo` is the offline stand-in and is labelled as such. */
export const PROVIDER_IDS = [
  'openai',
  'anthropic',
  'gemini',
  'deepseek',
  'openai-compatible',
  'demo',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as a JSON string, as every vendor's wire format carries them. */
  arguments: string;
}

/** Where an image or document comes from: a caller's URL (fetched by the vendor) or inline base64 bytes. */
export type MediaSource = { type: 'url'; url: string } | { type: 'base64'; data: string };

/** An image or a document (PDF) in a user message; its bytes are never inspected by DLP. */
export interface MediaPart {
  type: 'image' | 'document';
  /** `image/png`, `application/pdf`…; for a URL without a known type, `image/*`. */
  mediaType: string;
  source: MediaSource;
  filename?: string;
  /** OpenAI's image resolution hint; `auto` (its default) is the same as none. */
  detail?: 'low' | 'high';
}

/** A user message's content as separate parts, in order: text parts stay apart, media between them. */
export type UserPart = { type: 'text'; text: string } | MediaPart;

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | UserPart[] }
  | { role: 'assistant'; content?: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
  /** Ask the vendor to hold the arguments to the schema exactly (OpenAI's `function.strict`). */
  strict?: boolean;
}

/** The answer's format: free text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | {
      type: 'json-schema';
      schema: Record<string, unknown>;
      name?: string;
      description?: string;
      strict?: boolean;
    };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export type ToolChoice = 'auto' | 'none' | 'required' | { tool: string };

/** Credentials that override the platform's for one call (an org's own key). */
export interface ProviderCredentials {
  apiKey: string;
  baseURL?: string;
}

/** A vendor-neutral chat request: what the gateway hands to any provider. */
export interface ChatRequest {
  provider: ProviderId;
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  responseFormat?: ResponseFormat;
  /** The caller's end-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /** Key/value tags stored with the vendor's record of the call (OpenAI `metadata`). */
  metadata?: Record<string, string>;
  parallelToolCalls?: boolean;
  reasoningEffort?: ReasoningEffort;
  /** Extended thinking (Anthropic): on with a token budget, or explicitly off. */
  thinking?: { type: 'enabled'; budgetTokens: number } | { type: 'disabled' };
  /** Choices asked for; only 1 is carried by any provider here, so a larger value is refused. */
  n?: number;
  /**
   * Parameters of the caller's wire format that no provider carries through this gateway (e.g. `logprobs`,
   * a message's `name`): the call is refused naming them, rather than sent without them.
   */
  uncarried?: string[];
  credentials?: ProviderCredentials;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResult {
  provider: ProviderId;
  model: string;
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** Number of HTTP attempts it took (1 when the first one succeeded). */
  attempts: number;
  /** JSON Schema keywords dropped from tool schemas for this vendor (Gemini), for the call event. */
  removedSchemaKeywords: string[];
}

/** One piece of a streamed answer; tool-call fragments carry the call's position (`index`) and id. */
export type ChatDelta =
  | { type: 'text'; text: string }
  | { type: 'tool-call-delta'; index: number; id: string; name?: string; argumentsDelta: string }
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage: Usage;
      attempts: number;
      removedSchemaKeywords: string[];
    };

/** What each HTTP attempt reports, so the gateway can audit retries. Never carries prompt text or keys. */
export interface AttemptReport {
  provider: ProviderId;
  model: string;
  attempt: number;
  ok: boolean;
  /** Upstream HTTP status when there was one. */
  status?: number;
  /** `rate_limited`, `server_error`, `timeout`, `network`, `client_error`, `unknown`. */
  errorKind?: string;
  willRetry: boolean;
  /** Wait before the next attempt, when there is one. */
  delayMs?: number;
  durationMs: number;
}

export type OnAttempt = (report: AttemptReport) => void;
