import {
  AUDIT_STREAM_EVENT,
  type AuditEvent,
  type AuditNames,
  type AuditPage,
  type ChainHead,
} from '@proofpane/api';
import { authHeaders, errorText, getJson, queryString } from '$lib/api';
import { type StreamState, subscribe } from '$lib/sse';
import { type AuditFilter, filterQuery } from './filter';

const PAGE = 200;
/** The first request asks for one screenful only: first rows sooner, the next page on scroll. */
const FIRST_SCREEN = 60;
/** Ids the server can name (users, API keys, devices, orgs). */
const NAMED_ID = /^(usr|key|dev|org)_[A-Za-z0-9_-]+$/;
/** The API returns at most this many events per request. */
const API_LIMIT = 1000;
/** Requests one "load older" may spend looking for matches of a sparse filter before it yields. */
const MAX_PROBES = 12;

/**
 * Mission Control's audit feed, newest first: the head from `/api/console/head`, older events in
 * seq windows walked backwards (so 100,000 events cost one request per screenful), new ones live
 * over SSE from exactly the head it started at.
 */
export class AuditFeed {
  events = $state.raw<AuditEvent[]>([]);
  head = $state<number | null>(null);
  loading = $state(false);
  /** No older event matches: the walk reached the start of the chain. */
  exhausted = $state(false);
  /** The lowest seq the backward walk has looked at, for "searched down to seq N". */
  scannedTo = $state<number | null>(null);
  error = $state<string | null>(null);
  stream = $state<StreamState>('closed');
  /** True when the last change prepended live events (the list keeps its scroll position). */
  prepended = $state(false);
  /** Live events prepended since the feed started: the list counts the unseen ones from it. */
  arrivals = $state(0);
  /** Readable names by id (emails, key and device names), from each page and, for ids a live event brings, `/api/audit/names`. */
  names = $state.raw<Record<string, string>>({});

  private filter: AuditFilter = {};
  private cursor = 0;
  private window = PAGE;
  private generation = 0;
  private stop: (() => void) | null = null;

  async start(filter: AuditFilter): Promise<void> {
    this.close();
    const generation = ++this.generation;
    this.filter = filter;
    this.events = [];
    this.arrivals = 0;
    this.exhausted = false;
    this.error = null;
    this.loading = true;
    const unfiltered = Object.keys(filterQuery(filter)).length === 0;
    this.window = unfiltered ? FIRST_SCREEN : API_LIMIT;
    try {
      const head = await getJson<ChainHead>('/api/console/head');
      if (generation !== this.generation) return;
      this.head = head.seq;
      this.cursor = head.seq;
      this.scannedTo = head.seq + 1;
      this.openStream(head.seq, generation);
      this.loading = false;
      await this.loadOlder(unfiltered ? FIRST_SCREEN : PAGE);
      if (unfiltered && generation === this.generation) this.window = PAGE;
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = errorText(e);
      this.loading = false;
    }
  }

  /** The next screenful of older matching events. */
  async loadOlder(want = PAGE): Promise<void> {
    if (this.loading || this.exhausted) return;
    const generation = this.generation;
    this.loading = true;
    const found: AuditEvent[] = [];
    try {
      let probes = 0;
      while (this.cursor >= 1 && found.length < want && probes < MAX_PROBES) {
        probes++;
        const from = Math.max(1, this.cursor - this.window + 1);
        const page = await getJson<AuditPage>('/api/audit', {
          ...filterQuery(this.filter),
          fromSeq: from,
          toSeq: this.cursor,
          limit: API_LIMIT,
        });
        if (generation !== this.generation) return;
        if (page.names) this.addNames(page.names);
        if (page.next !== null) {
          this.window = Math.max(1, Math.floor(this.window / 4));
          continue;
        }
        found.push(...page.events.reverse());
        this.cursor = from - 1;
        this.scannedTo = from;
        if (page.events.length < PAGE / 4) this.window = Math.min(this.window * 4, 1 << 22);
      }
      if (this.cursor < 1) this.exhausted = true;
      this.prepended = false;
      if (found.length > 0) this.events = [...this.events, ...found];
    } catch (e) {
      if (generation === this.generation) this.error = errorText(e);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  private openStream(afterSeq: number, generation: number): void {
    const query = queryString(filterQuery(this.filter));
    let pending: AuditEvent[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (generation !== this.generation || pending.length === 0) return;
      const newest = this.events[0]?.seq ?? 0;
      const fresh = pending.filter((e) => e.seq > newest).sort((a, b) => b.seq - a.seq);
      pending = [];
      if (fresh.length === 0) return;
      this.prepended = true;
      this.arrivals += fresh.length;
      this.events = [...fresh, ...this.events];
      void this.nameUnknown(fresh, generation);
    };
    this.stop = subscribe({
      url: () => `/api/audit/stream${query}`,
      headers: authHeaders,
      lastEventId: String(afterSeq),
      onState: (state) => {
        if (generation === this.generation) this.stream = state;
      },
      onMessage: (message) => {
        if (message.event !== AUDIT_STREAM_EVENT) return;
        const event = JSON.parse(message.data) as AuditEvent;
        if (this.head === null || event.seq > this.head) this.head = event.seq;
        pending.push(event);
        if (!scheduled) {
          scheduled = true;
          requestAnimationFrame(flush);
        }
      },
    });
  }

  private addNames(names: Record<string, string>): void {
    if (Object.keys(names).length > 0) this.names = { ...this.names, ...names };
  }

  private readonly asked = new Set<string>();

  /** One request per batch of live events, for ids no page has named yet (and never the same id twice). */
  private async nameUnknown(events: readonly AuditEvent[], generation: number): Promise<void> {
    const ids = new Set<string>();
    for (const e of events) {
      for (const id of [e.actor.id, e.subject.slice(e.subject.lastIndexOf('/') + 1)]) {
        if (NAMED_ID.test(id) && !(id in this.names) && !this.asked.has(id)) ids.add(id);
      }
    }
    if (ids.size === 0) return;
    for (const id of ids) this.asked.add(id);
    try {
      const answer = await getJson<AuditNames>('/api/audit/names', { ids: [...ids].slice(0, 100).join(',') });
      if (generation === this.generation) this.addNames(answer.names);
    } catch {
      // A name is a nicety: the id stays on screen, and the next page may name it.
    }
  }

  close(): void {
    this.stop?.();
    this.stop = null;
  }
}
