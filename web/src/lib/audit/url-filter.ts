import type { AuditFilter } from './filter';

const KEYS = ['type', 'actor', 'subject', 'runId', 'from', 'to'] as const;

/** Mission Control keeps its filters in the URL, so a filtered view can be linked and reloaded. */
export function filterFromUrl(url: URL): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of KEYS) {
    const value = url.searchParams.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

export function urlOfFilter(path: string, filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
