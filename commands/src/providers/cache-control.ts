import type { CacheControl, ChatRequest } from './types.js';

/** Anthropic takes at most four breakpoints on blocks; its SDK model drops any beyond them. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** The breakpoints a request places on its blocks (system, message parts, messages, tools), in order. */
export function cacheBreakpoints(request: Pick<ChatRequest, 'messages' | 'tools'>): CacheControl[] {
  const out: CacheControl[] = [];
  for (const m of request.messages) {
    if (m.role === 'user') {
      if (typeof m.content !== 'string')
        for (const p of m.content) if (p.cacheControl) out.push(p.cacheControl);
    } else if (m.cacheControl) out.push(m.cacheControl);
  }
  for (const t of request.tools ?? []) if (t.cacheControl) out.push(t.cacheControl);
  return out;
}

/** How long the request asks the vendor to cache for: none, five minutes, or an hour (the dearer write). */
export function longestCacheTtl(
  request: Pick<ChatRequest, 'messages' | 'tools' | 'cacheControl'>,
): '5m' | '1h' | undefined {
  const all = [...cacheBreakpoints(request), ...(request.cacheControl ? [request.cacheControl] : [])];
  if (all.length === 0) return undefined;
  return all.some((c) => c.ttl === '1h') ? '1h' : '5m';
}
