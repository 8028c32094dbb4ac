import type { Decision, HitlRequest, HitlStatus } from '@proofpane/api';

interface Org {
  name: string;
  requests: Map<string, HitlRequest>;
  streams: Set<ReadableStreamDefaultController<Uint8Array>>;
}

export interface ResolveCall {
  org: string;
  id: string;
  approverId: string;
  body: { decision: Decision; remember?: boolean; note?: string };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * An in-memory stand-in for the server's HITL contract (pairing, queue, resolve, SSE), reached
 * through a `fetch` function so the real `eventsource` client reads its stream.
 */
export class FakeHitlServer {
  readonly url = 'https://proofpane.test';
  readonly resolveCalls: ResolveCall[] = [];
  readonly #orgs = new Map<string, Org>();
  readonly #codes = new Map<string, { org: string; spent: boolean }>();
  readonly #tokens = new Map<string, { org: string; approverId: string; revoked: boolean }>();
  #seq = 0;
  #eventId = 0;
  now: () => Date = () => new Date();

  addOrg(org: string, name: string): void {
    this.#orgs.set(org, { name, requests: new Map(), streams: new Set() });
  }

  pairingCode(org: string, options: { spent?: boolean } = {}): string {
    this.#seq += 1;
    const code = `K7QF-${String(this.#seq).padStart(4, '0')}`;
    this.#codes.set(code, { org, spent: options.spent ?? false });
    return code;
  }

  codeSpent(code: string): boolean {
    return this.#codes.get(code)?.spent ?? false;
  }

  revokeAll(org: string): void {
    for (const token of this.#tokens.values()) if (token.org === org) token.revoked = true;
  }

  /** As the server does on `DELETE /api/hitl/approvers/:id`: the tokens are refused and open streams end. */
  revokeAndDisconnect(org: string): void {
    this.revokeAll(org);
    const streams = this.#org(org).streams;
    // A short retry hint, so the client's reconnect (and its 401) comes within the spec.
    for (const stream of streams) {
      stream.enqueue(new TextEncoder().encode('retry: 10\n\n'));
      stream.close();
    }
    streams.clear();
  }

  /** How many times the stream was asked for, refused or not. */
  streamRequests = 0;

  request(org: string, fields: Partial<HitlRequest> = {}): HitlRequest {
    this.#seq += 1;
    const now = this.now();
    const request: HitlRequest = {
      id: `hitl_${this.#seq}`,
      kind: 'tool_call',
      subject: `hitl/hitl_${this.#seq}`,
      target: 'db.delete',
      risk: 'medium',
      summary: `Delete ${this.#seq} rows`,
      reason: 'deleting rows needs a person',
      context: { tool: 'db.delete' },
      argsSha256: this.#seq.toString(16).padStart(64, '0'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 600_000).toISOString(),
      status: 'pending',
      consumed: false,
      ...fields,
    };
    this.#org(org).requests.set(request.id, request);
    this.#broadcast(org, 'hitl.requested', { id: request.id, status: 'pending' });
    return request;
  }

  /** Another approver (or the console) resolves the request. */
  resolveElsewhere(org: string, id: string, decision: Decision, by = 'usr_bob'): void {
    this.#settle(org, id, decision, by);
  }

  status(org: string, id: string): HitlStatus | undefined {
    return this.#orgs.get(org)?.requests.get(id)?.status;
  }

  readonly fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input);
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    if (method === 'POST' && url.pathname === '/api/hitl/approvers/pair') return this.#pair(body);
    if (url.pathname === '/api/hitl/stream') this.streamRequests += 1;
    const auth = new Headers(init.headers).get('authorization') ?? '';
    const token = this.#tokens.get(auth.replace(/^Bearer /, ''));
    if (!token || token.revoked) return json(401, { code: 'unauthorized' });
    const org = this.#org(token.org);
    if (url.pathname === '/api/hitl/stream') return this.#stream(org, init.signal ?? undefined);
    if (method === 'GET' && url.pathname === '/api/hitl') {
      const wanted = url.searchParams.get('status');
      const all = [...org.requests.values()].filter((r) => !wanted || r.status === wanted).reverse();
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const before = url.searchParams.get('before');
      const start = before ? all.findIndex((r) => r.id === before) + 1 : 0;
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? (page.at(-1)?.id ?? null) : null;
      return json(200, { requests: page, next });
    }
    const match = /^\/api\/hitl\/([^/]+)(\/resolve)?$/.exec(url.pathname);
    const request = match?.[1] ? org.requests.get(decodeURIComponent(match[1])) : undefined;
    if (!request) return json(404, { code: 'not_found' });
    if (method === 'GET' && !match?.[2]) return json(200, request);
    if (request.status !== 'pending') return json(409, { code: 'already_resolved' });
    this.resolveCalls.push({
      org: token.org,
      id: request.id,
      approverId: token.approverId,
      body: body as ResolveCall['body'],
    });
    return json(200, this.#settle(token.org, request.id, body['decision'] as Decision, token.approverId));
  };

  close(): void {
    for (const org of this.#orgs.values()) {
      for (const stream of org.streams) stream.close();
      org.streams.clear();
    }
  }

  #pair(body: Record<string, unknown>): Response {
    const entry = this.#codes.get(String(body['code']));
    if (!entry) return json(404, { code: 'pairing_code_unknown' });
    if (entry.spent) return json(410, { code: 'pairing_code_spent' });
    entry.spent = true;
    this.#seq += 1;
    const token = `ppa_token_${this.#seq}`;
    const approverId = `apr_${this.#seq}`;
    this.#tokens.set(token, { org: entry.org, approverId, revoked: false });
    const expiresAt = new Date(this.now().getTime() + 90 * 86_400_000).toISOString();
    return json(201, { token, org: entry.org, orgName: this.#org(entry.org).name, approverId, expiresAt });
  }

  #stream(org: Org, signal: AbortSignal | undefined): Response {
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
        org.streams.add(c);
        c.enqueue(new TextEncoder().encode(': connected\n\n'));
      },
      cancel: () => {
        if (controller) org.streams.delete(controller);
      },
    });
    signal?.addEventListener('abort', () => {
      if (controller) org.streams.delete(controller);
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }

  #settle(orgId: string, id: string, decision: Decision, by: string): HitlRequest {
    const org = this.#org(orgId);
    const request = org.requests.get(id);
    if (!request) throw new Error(`unknown request ${id}`);
    const resolved: HitlRequest = {
      ...request,
      status: decision === 'approve' ? 'approved' : 'denied',
      resolution: { decision, by, auto: false, remember: false, at: this.now().toISOString() },
    };
    org.requests.set(id, resolved);
    this.#broadcast(orgId, 'hitl.resolved', { id, status: resolved.status });
    return resolved;
  }

  #broadcast(orgId: string, event: string, data: unknown): void {
    this.#eventId += 1;
    const frame = new TextEncoder().encode(
      `id: ${this.#eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
    );
    for (const stream of this.#org(orgId).streams) {
      try {
        stream.enqueue(frame);
      } catch {
        this.#org(orgId).streams.delete(stream);
      }
    }
  }

  #org(org: string): Org {
    const found = this.#orgs.get(org);
    if (!found) throw new Error(`unknown org ${org}`);
    return found;
  }
}
