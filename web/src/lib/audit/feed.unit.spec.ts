import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { event, FakeAuditApi } from '$lib/testing/fake-audit-api';
import { AuditFeed } from './feed.svelte';

let frames: (() => void)[];
const nextFrame = () => {
  const run = frames;
  frames = [];
  for (const frame of run) frame();
};

function serve(api: FakeAuditApi) {
  vi.stubGlobal('fetch', api.fetch);
}

beforeEach(() => {
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
});
afterEach(() => vi.unstubAllGlobals());

const seqs = (feed: AuditFeed) => feed.events.map((e) => e.seq);
const descending = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

describe('the audit feed', () => {
  it('shows the newest events first and walks back one screenful per request to the chain start', async () => {
    const api = new FakeAuditApi(450);
    serve(api);
    const feed = new AuditFeed();
    await feed.start({});
    expect(feed.head).toBe(450);
    // One screenful first, for the first rows' sake; then 200 at a time.
    expect(seqs(feed)).toEqual(descending(450, 391));
    expect(feed.scannedTo).toBe(391);
    expect(feed.exhausted).toBe(false);
    await feed.loadOlder();
    await feed.loadOlder();
    expect(seqs(feed)).toEqual(descending(450, 1));
    expect(feed.exhausted).toBe(true);
    expect(api.pages.map((p) => [p.fromSeq, p.toSeq])).toEqual([
      [391, 450],
      [191, 390],
      [1, 190],
    ]);
    await feed.loadOlder();
    expect(api.pages).toHaveLength(3);
    feed.close();
  });

  it('widens its window over a sparse filter, so few requests find the rare matches', async () => {
    const api = new FakeAuditApi(5_000, (seq) =>
      seq % 1_000 === 0 ? 'cp.hitl.requested' : 'cp.llm.call.completed',
    );
    serve(api);
    const feed = new AuditFeed();
    await feed.start({ type: 'cp.hitl.' });
    expect(seqs(feed)).toEqual([5_000, 4_000, 3_000, 2_000, 1_000]);
    expect(feed.exhausted).toBe(true);
    expect(api.pages.map((p) => [p.fromSeq, p.toSeq, p.type])).toEqual([
      [4_001, 5_000, 'cp.hitl.'],
      [1, 4_000, 'cp.hitl.'],
    ]);
    feed.close();
  });

  it('narrows a window that held more matches than one page, and asks again', async () => {
    const api = new FakeAuditApi(10_000, (seq) =>
      seq <= 9_000 || seq === 10_000 ? 'cp.llm.call.completed' : 'cp.tool.call.completed',
    );
    serve(api);
    const feed = new AuditFeed();
    await feed.start({ type: 'cp.llm.' });
    expect(api.pages.map((p) => [p.fromSeq, p.toSeq])).toEqual([
      [9_001, 10_000],
      [5_001, 9_000],
      [8_001, 9_000],
    ]);
    expect(seqs(feed)).toEqual([10_000, ...descending(9_000, 8_001)]);
    feed.close();
  });

  it('adds live events from the head it started at, once each, newest first, a frame at a time', async () => {
    const api = new FakeAuditApi(3);
    serve(api);
    const feed = new AuditFeed();
    await feed.start({ actor: 'usr_1' });
    await vi.waitFor(() => expect(feed.stream).toBe('live'));
    const [stream] = api.streams;
    expect(stream?.url).toBe('/api/audit/stream?actor=usr_1');
    expect(stream?.lastEventId).toBe('3');
    stream?.push(event(4));
    stream?.push(event(5));
    stream?.push(event(3));
    stream?.push(event(6), 'heartbeat');
    await vi.waitFor(() => expect(feed.head).toBe(5));
    expect(seqs(feed)).toEqual([3, 2, 1]);
    nextFrame();
    expect(seqs(feed)).toEqual([5, 4, 3, 2, 1]);
    expect(feed.prepended).toBe(true);
    feed.close();
    expect(feed.stream).toBe('closed');
  });

  it('counts live arrivals and names their actors: from the pages, then one request for new ids', async () => {
    const api = new FakeAuditApi(2);
    api.names['usr_1'] = 'olga@example.test';
    api.names['key_9'] = 'billing-bot';
    serve(api);
    const feed = new AuditFeed();
    await feed.start({});
    expect(feed.names).toEqual({ usr_1: 'olga@example.test' });
    await vi.waitFor(() => expect(feed.stream).toBe('live'));
    const [stream] = api.streams;
    stream?.push({ ...event(3), actor: { kind: 'apikey', id: 'key_9' } });
    stream?.push(event(4));
    await vi.waitFor(() => expect(feed.head).toBe(4));
    nextFrame();
    expect(feed.arrivals).toBe(2);
    await vi.waitFor(() => expect(feed.names['key_9']).toBe('billing-bot'));
    expect(api.nameRequests).toEqual([['key_9']]);
    feed.close();
  });

  it('shows why it could not start', async () => {
    const api = new FakeAuditApi(3);
    api.failHead = true;
    serve(api);
    const feed = new AuditFeed();
    await feed.start({});
    expect(feed.error).toBe('the store is down');
    expect(feed.loading).toBe(false);
    expect(feed.events).toEqual([]);
  });

  it('drops what a superseded start was still loading', async () => {
    const api = new FakeAuditApi(300, (seq) => (seq % 2 ? 'cp.llm.call.completed' : 'cp.hitl.requested'));
    serve(api);
    const feed = new AuditFeed();
    const first = feed.start({});
    const second = feed.start({ type: 'cp.hitl.' });
    await Promise.all([first, second]);
    expect(feed.events.every((e) => e.type === 'cp.hitl.requested')).toBe(true);
    expect(seqs(feed)).toEqual(descending(300, 1).filter((seq) => seq % 2 === 0));
    expect(api.streams).toHaveLength(1);
    feed.close();
  });
});
