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

/**
 * A prompt-cache breakpoint (Anthropic's `cache_control`): the vendor caches the prompt up to and including
 * the block that carries it, for five minutes (the default) or an hour.
 */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
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
  cacheControl?: CacheControl;
}

/** A user message's content as separate parts, in order: text parts stay apart, media between them. */
export type UserPart = { type: 'text'; text: string; cacheControl?: CacheControl } | MediaPart;

/**
 * A model's thinking, as the vendor returned it: readable text with the signature that lets the vendor
 * verify it when it is sent back, or a block the vendor encrypted (only its opaque data travels).
 */
export type ReasoningPart =
  | { type: 'thinking'; text: string; signature: string }
  | { type: 'redacted-thinking'; data: string };

/** `cacheControl` on a whole message is a breakpoint on its last block (as Anthropic places it). */
export type ChatMessage =
  | { role: 'system'; content: string; cacheControl?: CacheControl }
  | { role: 'user'; content: string | UserPart[] }
  | {
      role: 'assistant';
      content?: string;
      toolCalls?: ToolCall[];
      /** Thinking of the earlier answer, sent back ahead of its text and tool calls. */
      reasoning?: ReasoningPart[];
      cacheControl?: CacheControl;
    }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; cacheControl?: CacheControl };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
  /** Ask the vendor to hold the arguments to the schema exactly (OpenAI's `function.strict`). */
  strict?: boolean;
  cacheControl?: CacheControl;
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

export type AnthropicEffort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * A context-management edit Anthropic applies before the model reads the prompt (it only removes input), in
 * the AI SDK's names: tool results cleared past a trigger, or thinking of earlier turns.
 */
export type ContextEdit =
  | {
      type: 'clear_tool_uses_20250919';
      trigger?: { type: 'input_tokens' | 'tool_uses'; value: number };
      keep?: { type: 'tool_uses'; value: number };
      clearAtLeast?: { type: 'input_tokens'; value: number };
      clearToolInputs?: boolean;
      excludeTools?: string[];
    }
  | { type: 'clear_thinking_20251015'; keep?: 'all' | { type: 'thinking_turns'; value: number } };

/** An edit Anthropic applied to the prompt, in its wire names (the answer's `context_management.applied_edits`). */
export interface AppliedContextEdit {
  type: string;
  cleared_tool_uses?: number;
  cleared_thinking_turns?: number;
  cleared_input_tokens?: number;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { tool: string };

/**
 * Anthropic's thinking switch: on with a token budget (counted inside max tokens), adaptive (the model
 * decides, `display` says whether its text comes back), only between tool calls, or off.
 */
export type ThinkingConfig =
  | { type: 'enabled'; budgetTokens: number }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' }
  | { type: 'between_tools' }
  | { type: 'disabled' };

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
  /** Extended thinking (Anthropic). */
  thinking?: ThinkingConfig;
  /** A breakpoint for the whole request (Anthropic's automatic caching: the vendor picks the block). */
  cacheControl?: CacheControl;
  /** Choices asked for; more than 1 runs that many calls of one choice each (multiple-choices.ts). */
  n?: number;
  /** Anthropic beta names (`anthropic-beta`) to send, each one of ANTHROPIC_BETAS. */
  anthropicBetas?: string[];
  /** Anthropic's `output_config.effort`: how many tokens the model may spend, thinking included. */
  effort?: AnthropicEffort;
  /** Anthropic's `context_management` edits: older tool results or thinking cleared vendor-side. */
  contextEdits?: ContextEdit[];
  /** Log probabilities of the answer's tokens, with the `top` most likely alternatives (0–20) of each. */
  logprobs?: { top: number };
  /**
   * Parameters of the caller's wire format that no provider carries through this gateway (e.g. `logprobs`,
   * a message's `name`): the call is refused naming them, rather than sent without them.
   */
  uncarried?: string[];
  credentials?: ProviderCredentials;
}

/** One answer token's log probability, in OpenAI's shape (which the wire answers carry unchanged). */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** Token counts as the vendor reported them; `inputTokens` counts every input token, cached ones included. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the vendor's prompt cache. */
  cacheReadTokens?: number;
  /** Input tokens written to the prompt cache, whatever their TTL. */
  cacheWriteTokens?: number;
  /** Of `cacheWriteTokens`, those written for an hour (Anthropic bills them above five-minute writes). */
  cacheWrite1hTokens?: number;
}

/** One more choice of a call that asked for several: its own answer and how it ended. */
export interface ChoiceResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  logprobs?: TokenLogprob[];
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
  /** The answer's thinking, ahead of its text (Anthropic's, which signs it; other vendors' is not kept). */
  reasoning?: ReasoningPart[];
  /** The answer's token log probabilities, when the request asked for them. */
  logprobs?: TokenLogprob[];
  /** Choices 1 to n−1 when the request asked for n; this result's own fields are choice 0. */
  choices?: ChoiceResult[];
  /** The context edits Anthropic applied, when the request asked for some and any applied. */
  appliedEdits?: AppliedContextEdit[];
}

/**
 * One piece of a streamed answer; text and tool-call fragments of a call with several choices carry the
 * choice's index (`choice`, absent for choice 0). Tool-call fragments carry the call's position (`index`) and id, thinking
 * pieces the id of their block (a new id is a new block). `usage` is what the vendor reported as the
 * answer began (Anthropic's message_start), before any content.
 */
export type ChatDelta =
  | { type: 'usage'; usage: Usage }
  | { type: 'reasoning'; id: string; text: string }
  | { type: 'reasoning-signature'; id: string; signature: string }
  | { type: 'reasoning-redacted'; id: string; data: string }
  | { type: 'text'; text: string; choice?: number }
  | {
      type: 'tool-call-delta';
      index: number;
      id: string;
      name?: string;
      argumentsDelta: string;
      choice?: number;
    }
  /** One choice of several (n > 1) ended; the call's own `finish` follows the last, with the summed usage. */
  | { type: 'choice-finish'; choice: number; finishReason: FinishReason; logprobs?: TokenLogprob[] }
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage: Usage;
      attempts: number;
      removedSchemaKeywords: string[];
      /** The answer's token log probabilities, when asked for (the SDK model gathers them to the end). */
      logprobs?: TokenLogprob[];
      /** The context edits Anthropic applied (reported with the stream's end). */
      appliedEdits?: AppliedContextEdit[];
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
