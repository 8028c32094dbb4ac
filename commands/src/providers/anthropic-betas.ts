/**
 * Anthropic beta names (`anthropic-beta`) the gateway passes through to Anthropic. Each changes only how
 * Anthropic serves a request the gateway already governs whole: no new body fields it would not read, no
 * server-side tools or stored files it cannot audit, and no billing the price table does not know. Betas
 * outside the list are refused by name, never dropped. Left out on purpose, for example:
 * `context-1m-2025-08-07` (long-context requests bill at a premium the price table has no rate for, so the
 * budget's worst case would be too low), `files-api-*`, `code-execution-*`, `mcp-client-*`,
 * `computer-use-*`, `web-fetch-*`, `skills-*` (vendor-side tools and files outside the gateway's view).
 */
export const ANTHROPIC_BETAS: ReadonlySet<string> = new Set([
  'claude-code-20250219',
  'interleaved-thinking-2025-05-14',
  'fine-grained-tool-streaming-2025-05-14',
  'token-efficient-tools-2025-02-19',
  'prompt-caching-2024-07-31',
  'extended-cache-ttl-2025-04-11',
  'pdfs-2024-09-25',
  'output-128k-2025-02-19',
  'context-management-2025-06-27',
  'structured-outputs-2025-11-13',
  'effort-2025-11-24',
]);
