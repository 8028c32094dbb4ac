import type { AuditEvent, AuditPage, ChainHead } from '@proofpane/api';

/**
 * `/api/console/head`, `/api/audit` and `/api/audit/stream` over an in-memory chain, as a `fetch`
 * for specs: seq windows, type prefixes and the `next` of a page that held more than its limit.
 */
export class FakeAuditApi {
  readonly events: AuditEvent[] = [];
  /** Every `/api/audit` request as [fromSeq, toSeq] with its type filter. */
  readonly pages: { fromSeq: number; toSeq: number; type: string | null }[] = [];
  readonly streams: {
    url: string;
    lastEventId: string | null;
    push(event: AuditEvent, name?: string): void;
  }[] = [];
  failHead = false;
  /** Names the fake server knows, by id; each `/api/audit/names` request's ids are recorded. */
  readonly names: Record<string, string> = {};
  readonly nameRequests: string[][] = [];

  constructor(count: number, typeOf: (seq: number) => string = () => 'cp.llm.call.completed') {
    for (let seq = 1; seq <= count; seq++) this.events.push(event(seq, typeOf(seq)));
  }

  readonly fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input, 'https://pp.test');
    if (url.pathname === '/api/console/head') {
      if (this.failHead)
        return Response.json({ code: 'unavailable', detail: 'the store is down' }, { status: 503 });
      const last = this.events.at(-1);
      return Response.json({ seq: last?.seq ?? 0, hash: last?.hash ?? '0'.repeat(64) } satisfies ChainHead);
    }
    if (url.pathname === '/api/audit') return Response.json(this.#page(url.searchParams));
    if (url.pathname === '/api/audit/stream') return this.#stream(input, init);
    if (url.pathname === '/api/audit/names') {
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      this.nameRequests.push(ids);
      return Response.json({ names: this.#named(ids) });
    }
    return Response.json({ code: 'not_found' }, { status: 404 });
  };

  #page(query: URLSearchParams): AuditPage {
    const fromSeq = Number(query.get('fromSeq'));
    const toSeq = Number(query.get('toSeq'));
    const limit = Number(query.get('limit'));
    const type = query.get('type');
    this.pages.push({ fromSeq, toSeq, type });
    const matching = this.events.filter(
      (e) => e.seq >= fromSeq && e.seq <= toSeq && (type === null || e.type.startsWith(type)),
    );
    const events = matching.slice(0, limit);
    return {
      events,
      next: matching.length > limit ? String(events.at(-1)?.seq) : null,
      names: this.#named(events.map((e) => e.actor.id)),
    };
  }

  #named(ids: string[]): Record<string, string> {
    return Object.fromEntries(ids.filter((id) => id in this.names).map((id) => [id, this.names[id]!]));
  }

  #stream(url: string, init: RequestInit): Response {
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
    });
    init.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    this.streams.push({
      url,
      lastEventId: new Headers(init.headers).get('last-event-id'),
      push: (event, name = 'audit') =>
        controller.enqueue(
          encoder.encode(`id: ${event.seq}\nevent: ${name}\ndata: ${JSON.stringify(event)}\n\n`),
        ),
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  }
}

export function event(seq: number, type = 'cp.llm.call.completed'): AuditEvent {
  return {
    org: 'org_1',
    seq,
    id: `evt_${seq}`,
    type,
    subject: `call/req_${seq}`,
    subjectVersion: 1,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actor: { kind: 'user', id: 'usr_1' },
    data: {},
    meta: {},
    prev: seq === 1 ? '0'.repeat(64) : seq.toString(16).padStart(64, 'a'),
    hash: (seq + 1).toString(16).padStart(64, 'a'),
  };
}
