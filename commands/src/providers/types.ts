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

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content?: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

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
