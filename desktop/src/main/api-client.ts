import {
  type ApproverPairBody,
  type ApproverPairing,
  type Decision,
  type HitlList,
  type HitlRequest,
  type HitlResolveBody,
  hitlListQuery,
} from '@proofpane/api';
import { DesktopError } from './errors.js';

// The most the server hands out in one page.
const PAGE_SIZE = hitlListQuery.shape.limit.unwrap().maxValue ?? 200;
const MAX_PENDING = 2_000;

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Accepts https, and http only for loopback; returns the origin-plus-path with no trailing slash. */
export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch (cause) {
    throw new DesktopError('insecure_server_url', { cause });
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new DesktopError('insecure_server_url');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

async function call(fetchFn: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, init);
  } catch (cause) {
    throw new DesktopError('server_unreachable', { cause });
  }
}

function failure(
  status: number,
  overrides: Partial<Record<number, DesktopError['code']>> = {},
): DesktopError {
  const code = overrides[status] ?? (status === 401 ? 'token_rejected' : 'server_error');
  return new DesktopError(code, { status });
}

/** Exchanges a single-use admin pairing code for a 90-day approver token. */
export async function exchangePairingCode(options: {
  fetch: FetchLike;
  serverUrl: string;
  code: string;
  name: string;
}): Promise<ApproverPairing> {
  const response = await call(options.fetch, `${options.serverUrl}/api/hitl/approvers/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: options.code.trim().toUpperCase(),
      name: options.name,
    } satisfies ApproverPairBody),
  });
  if (response.status !== 201 && response.status !== 200) {
    throw failure(response.status, { 404: 'pairing_code_unknown', 410: 'pairing_code_spent' });
  }
  return (await response.json()) as ApproverPairing;
}

/** The HITL endpoints one approver token may call, for one org. */
export class HitlClient {
  readonly #fetch: FetchLike;
  readonly #base: string;
  readonly #token: string;

  constructor(options: { fetch: FetchLike; serverUrl: string; token: string }) {
    this.#fetch = options.fetch;
    this.#base = options.serverUrl;
    this.#token = options.token;
  }

  get streamUrl(): string {
    return `${this.#base}/api/hitl/stream`;
  }

  get authorization(): string {
    return `Bearer ${this.#token}`;
  }

  /** Every pending request, following the server's `before` cursor page by page (200 a page). */
  async listPending(): Promise<HitlRequest[]> {
    const requests: HitlRequest[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `status=pending&limit=${PAGE_SIZE}${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
      const page: HitlList = await this.#json(`/api/hitl?${query}`);
      requests.push(...page.requests);
      cursor = page.next ?? null;
    } while (cursor && requests.length < MAX_PENDING);
    return requests;
  }

  async get(id: string): Promise<HitlRequest> {
    return this.#json<HitlRequest>(`/api/hitl/${encodeURIComponent(id)}`, {}, { 404: 'request_unknown' });
  }

  async resolve(options: {
    id: string;
    decision: Decision;
    remember?: boolean;
    note?: string;
  }): Promise<HitlRequest> {
    const body: HitlResolveBody = {
      decision: options.decision,
      ...(options.remember ? { remember: true } : {}),
      ...(options.note ? { note: options.note } : {}),
    };
    return this.#json<HitlRequest>(
      `/api/hitl/${encodeURIComponent(options.id)}/resolve`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { 404: 'request_unknown', 409: 'already_resolved' },
    );
  }

  async #json<T>(
    path: string,
    init: RequestInit = {},
    overrides: Partial<Record<number, DesktopError['code']>> = {},
  ): Promise<T> {
    const headers = { ...(init.headers as Record<string, string>), authorization: this.authorization };
    const response = await call(this.#fetch, `${this.#base}${path}`, { ...init, headers });
    if (!response.ok) throw failure(response.status, overrides);
    return (await response.json()) as T;
  }
}
