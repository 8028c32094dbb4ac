import type { NewEvent } from '@proofpane/core';
import type { Page } from 'playwright-core';
import { ensureConsoleBuilt, launchChromium, newContext } from '../server/src/console/testing/browser.js';
import { startConsoleServer } from '../server/src/console/testing/console-server.js';
import { callCompleted, policyDecided, runStarted } from '../server/src/console/testing/mission-events.js';
import type { Bench, BenchResult } from './report.js';

// Mission Control in Chromium on loopback over an org of 100,000 events while a live stream appends
// 50 events a second: time to first rows, frame times while scrolling, and how long after an append
// the "N new events" pill counts it (the list scrolled away from its top).

const RATE = 50;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Scrolls the audit list `step` px per animation frame and returns each frame's duration. */
function scrollFrames(page: Page, frames: number, step: number): Promise<number[]> {
  return page.evaluate(
    async ([count, px]) => {
      const list = document.querySelector<HTMLElement>('.vlist');
      if (!list) throw new Error('no audit list');
      const durations: number[] = [];
      let last = performance.now();
      for (let i = 0; i < count; i++) {
        await new Promise<void>((resolve) =>
          requestAnimationFrame((now) => {
            durations.push(now - last);
            last = now;
            list.scrollTop += px;
            resolve();
          }),
        );
      }
      return durations.slice(1);
    },
    [frames, step] as const,
  );
}

const bench: Bench = async (ctx) => {
  ensureConsoleBuilt();
  const total = ctx.quick ? 10_000 : 100_000;
  const server = await startConsoleServer();
  const results: BenchResult[] = [];
  const browser = await launchChromium();
  let streaming = false;
  let stream: Promise<void> = Promise.resolve();
  try {
    const registered = await server.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'bench@example.test', password: 'bench password', orgName: 'Bench' },
    });
    const session = registered.json() as { token: string; user: { id: string }; org: { id: string } };
    const org = session.org.id;
    const auth = { authorization: `Bearer ${session.token}` };
    const key = (
      await server.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: auth,
        payload: { name: 'bench-key', role: 'member' },
      })
    ).json() as { id: string };
    const apiKey = { kind: 'apikey' as const, id: key.id };
    const user = { kind: 'user' as const, id: session.user.id };
    // A governed call's shape: the gate's decision, then the audited call, by a key or a person.
    const eventAt = (i: number): NewEvent => {
      const actor = i % 3 === 0 ? user : apiKey;
      if (i % 4 === 0) return runStarted(i, { kind: 'agent', id: 'bench-agent' });
      if (i % 2 === 0)
        return policyDecided({ id: `b${i}`, actor, decision: i % 10 === 2 ? 'block' : 'allow' });
      return callCompleted({ id: `b${i}`, actor, costMicros: 3 + (i % 7), apiKeyId: key.id });
    };

    const seedStart = performance.now();
    const head = (await server.runtime.store.head(org))?.seq ?? 0;
    for (let n = 0; n < total - head; n += 1000) {
      const events: NewEvent[] = [];
      for (let i = n; i < Math.min(n + 1000, total - head); i++) events.push(eventAt(i));
      await server.runtime.store.append({ org, events });
    }
    const seeded = (await server.runtime.store.head(org))?.seq ?? 0;
    for (;;) {
      const res = await server.app.inject({ method: 'GET', url: '/api/admin/projections', headers: auth });
      const { projections } = res.json() as { projections: { lag: number }[] };
      if (projections.every((p) => p.lag === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    ctx.log(
      `seeded ${seeded} events and every read model caught up in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    // The live stream: 5 events every 100 ms (50 a second), each append's acknowledgement time kept
    // by seq. A tick that falls behind is skipped rather than made up in a burst, and the rate
    // actually reached is reported.
    const acked = new Map<number, number>();
    let paused = false;
    let n = total;
    streaming = true;
    stream = (async () => {
      let next = Date.now();
      while (streaming) {
        next = Math.max(next + 100, Date.now());
        if (!paused) {
          const batch = Array.from({ length: RATE / 10 }, () => eventAt(n++));
          const appended = await server.runtime.store.append({ org, events: batch });
          const at = Date.now();
          for (const e of appended) acked.set(e.seq, at);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      }
    })();

    const context = await newContext(browser, { width: 1280, height: 900 });
    await context.addInitScript(
      (value) => localStorage.setItem('proofpane.session', value),
      JSON.stringify({ ...session, role: 'owner' }),
    );
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);

    const firstRows: number[] = [];
    const headAt: number[] = [];
    const firstPageAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Let what the previous load left in flight (its chain walk's page) finish first.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const start = performance.now();
      await page.goto(`${server.url}/`);
      // A machine too busy to show rows within a minute records the minute, not a crash.
      await page
        .locator('[data-seq]')
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(() => ctx.log('no rows within 60 s'));
      firstRows.push(performance.now() - start);
      // Where the time went, from the page's own clock (ms after navigation start).
      // Anonymous callbacks only: tsx names `const f = () => …`, and the helper does not exist in the page.
      const [head = 0, firstPage = 0] = await page.evaluate(() =>
        ['/api/console/head', '/api/audit?'].map(
          (part) =>
            (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
              e.name.includes(part),
            )?.responseEnd ?? 0,
        ),
      );
      headAt.push(head);
      firstPageAt.push(firstPage);
    }
    const rows = percentile(firstRows, 50);
    ctx.log(
      `first rows: head answered at ${Math.round(percentile(headAt, 50))} ms, the first page at ${Math.round(percentile(firstPageAt, 50))} ms after navigation (medians)`,
    );
    results.push({
      bench: 'mission-control',
      case: `${seeded.toLocaleString('en-US')} events, ${RATE} events/s live`,
      metric: 'time to first rows (median of 5)',
      value: Math.round(rows),
      unit: 'ms',
      target: '≤ 500 ms',
      pass: rows <= 500,
    });

    await page.locator('[data-testid="stream-state"]', { hasText: 'live' }).waitFor({ timeout: 30_000 });
    await page.locator('.vlist').scrollIntoViewIfNeeded();
    const frames = await scrollFrames(page, 300, 400);
    const p95 = percentile(frames, 95);
    results.push({
      bench: 'mission-control',
      case: `scrolling 400 px a frame, ${RATE} events/s live`,
      metric: 'p95 frame',
      value: Number(p95.toFixed(1)),
      unit: 'ms',
      // One 60 Hz frame. Headless vsync jitter can put a frame that met it slightly above; the
      // figure is printed as measured and judged against the target as written.
      target: '≤ 16.7 ms',
      pass: p95 <= 16.7,
    });
    results.push({
      bench: 'mission-control',
      case: `scrolling 400 px a frame, ${RATE} events/s live`,
      metric: 'frames over 20 ms',
      value: frames.filter((f) => f > 20).length,
      unit: `of ${frames.length}`,
    });

    // Pill latency: with everything shown, scroll away, then each arrival must be counted in the pill.
    paused = true;
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('.vlist')!.scrollTop = 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const seen = (await server.runtime.store.head(org))?.seq ?? 0;
    await page.locator(`[data-seq="${seen}"]`).waitFor({ timeout: 10_000 });
    await page.evaluate(() => {
      const log: [number, number][] = [];
      (window as unknown as { pillLog: [number, number][] }).pillLog = log;
      new MutationObserver(() => {
        const pill = document.querySelector('[data-testid="new-items-pill"]');
        const count = Number(/(\d+) new/.exec(pill?.textContent ?? '')?.[1] ?? 0);
        if (count > 0) log.push([Date.now(), count]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
      document.querySelector<HTMLElement>('.vlist')!.scrollTop = 800;
    });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.vlist')!.scrollTop > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    acked.clear();
    paused = false;
    const windowMs = ctx.quick ? 4_000 : 10_000;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    paused = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log = await page.evaluate(() => (window as unknown as { pillLog: [number, number][] }).pillLog);
    const latencies: number[] = [];
    for (const [seq, at] of acked) {
      const shown = log.find(([, count]) => count >= seq - seen);
      if (shown) latencies.push(Math.max(0, shown[0] - at));
    }
    const missed = acked.size - latencies.length;
    const pillP95 = percentile(latencies, 95);
    results.push({
      bench: 'mission-control',
      case: `new-events pill, ${latencies.length} appends at ${RATE}/s`,
      metric: 'p95 append → pill',
      value: Math.round(pillP95),
      unit: 'ms',
      target: '≤ 250 ms',
      pass: pillP95 <= 250 && missed === 0,
    });
    results.push({
      bench: 'mission-control',
      case: `new-events pill, ${latencies.length} appends at ${RATE}/s`,
      metric: 'max append → pill',
      value: Math.round(Math.max(0, ...latencies)),
      unit: 'ms',
    });
    if (missed > 0) ctx.log(`${missed} appends never reached the pill`);
    results.push({
      bench: 'mission-control',
      case: 'live stream',
      metric: 'appended per second while the pill was measured',
      value: Math.round(acked.size / (windowMs / 1000)),
      unit: 'events/s',
    });
  } finally {
    streaming = false;
    await stream;
    await browser.close();
    await server.close();
  }
  return results;
};

export default bench;
