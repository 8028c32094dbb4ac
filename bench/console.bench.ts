import type { Page } from 'playwright-core';
import { ensureConsoleBuilt, launchChromium, newContext } from '../server/src/console/testing/browser.js';
import { startConsoleServer } from '../server/src/console/testing/console-server.js';
import type { Bench, BenchResult } from './report.js';

// The console in Chromium on loopback: first render of each page, and the audit view of an org
// holding 100,000 events (time to first rows, filtered first rows, frame times while scrolling).

const PAGES = [
  { path: '/', ready: 'Mission Control' },
  { path: '/cost', ready: 'Cost & Budget' },
  { path: '/runs', ready: 'Agent Runs' },
  { path: '/policies', ready: 'Policies' },
  { path: '/members', ready: 'Members' },
  { path: '/playground', ready: 'Playground' },
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function timeTo(page: Page, path: string, selector: string): Promise<number> {
  const start = performance.now();
  await page.goto(path);
  await page.locator(selector).first().waitFor({ timeout: 30_000 });
  return performance.now() - start;
}

/** Scrolls the audit list 2,000 px per animation frame and returns each frame's duration. */
function scrollFrames(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const list = document.querySelector<HTMLElement>('.vlist');
    if (!list) throw new Error('no audit list');
    const durations: number[] = [];
    let last = performance.now();
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve) =>
        requestAnimationFrame((now) => {
          durations.push(now - last);
          last = now;
          list.scrollTop += 2000;
          resolve();
        }),
      );
    }
    return durations.slice(1);
  }, frames);
}

const bench: Bench = async (ctx) => {
  ensureConsoleBuilt();
  const total = ctx.quick ? 10_000 : 100_000;
  const server = await startConsoleServer();
  const results: BenchResult[] = [];
  const browser = await launchChromium();
  try {
    const registered = await server.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'bench@example.test', password: 'bench password', orgName: 'Bench' },
    });
    const session = registered.json() as { token: string; org: { id: string } };
    const org = session.org.id;
    const actor = { kind: 'agent' as const, id: 'bench-agent' };
    const seedStart = performance.now();
    const head = (await server.runtime.store.head(org))?.seq ?? 0;
    for (let n = 0; n < total - head; n += 1000) {
      const events = [];
      for (let i = n; i < Math.min(n + 1000, total - head); i += 2) {
        const run = `run_${i}`;
        events.push({
          type: 'cp.run.started',
          subject: `run/${run}`,
          data: { kind: i % 20 === 0 ? 'remediation' : 'workflow', name: `Run ${i}` },
          actor,
          meta: { runId: run },
        });
        events.push({
          type: 'cp.run.completed',
          subject: `run/${run}`,
          data: { status: 'succeeded' },
          actor,
          meta: { runId: run },
        });
      }
      await server.runtime.store.append({ org, events });
    }
    const lastSeq = (await server.runtime.store.head(org))?.seq ?? 0;
    const auth = { authorization: `Bearer ${session.token}` };
    for (;;) {
      const res = await server.app.inject({
        method: 'GET',
        url: `/api/audit?fromSeq=${lastSeq}&limit=1`,
        headers: auth,
      });
      if ((res.json() as { events: unknown[] }).events.length === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (;;) {
      const res = await server.app.inject({ method: 'GET', url: '/api/admin/projections', headers: auth });
      const { projections } = res.json() as { projections: { lag: number }[] };
      if (projections.every((p) => p.lag === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    ctx.log(
      `seeded ${lastSeq} events and every read model caught up in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const context = await newContext(browser);
    await context.addInitScript(
      (value) => localStorage.setItem('proofpane.session', value),
      JSON.stringify({ ...session, role: 'owner' }),
    );
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);

    for (const p of PAGES) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++)
        times.push(await timeTo(page, `${server.url}${p.path}`, `h1:text-is("${p.ready}")`));
      const ms = percentile(times, 50);
      results.push({
        bench: 'console',
        case: `first render ${p.path}`,
        metric: 'median of 3',
        value: Math.round(ms),
        unit: 'ms',
        target: '< 1000 ms',
        pass: ms < 1000,
      });
    }

    const firstRows: number[] = [];
    for (let i = 0; i < 3; i++)
      firstRows.push(await timeTo(page, `${server.url}/`, `[data-seq="${lastSeq}"]`));
    const rows = percentile(firstRows, 50);
    results.push({
      bench: 'console',
      case: `audit view, ${lastSeq.toLocaleString('en-US')} events`,
      metric: 'time to first rows (median of 3)',
      value: Math.round(rows),
      unit: 'ms',
      target: '< 1000 ms',
      pass: rows < 1000,
    });

    const filtered = await timeTo(page, `${server.url}/?type=cp.run.started`, '[data-seq]');
    results.push({
      bench: 'console',
      case: `audit view, ${lastSeq.toLocaleString('en-US')} events`,
      metric: 'time to first rows, type filter',
      value: Math.round(filtered),
      unit: 'ms',
      target: '< 1000 ms',
      pass: filtered < 1000,
    });

    await page.goto(`${server.url}/`);
    await page.locator(`[data-seq="${lastSeq}"]`).waitFor();
    const frames = await scrollFrames(page, 240);
    const p95 = percentile(frames, 95);
    results.push({
      bench: 'console',
      case: 'audit view scrolling 2,000 px a frame',
      metric: 'p95 frame',
      value: Number(p95.toFixed(1)),
      unit: 'ms',
      target: '< 50 ms',
      pass: p95 < 50,
    });
    results.push({
      bench: 'console',
      case: 'audit view scrolling 2,000 px a frame',
      metric: 'longest frame',
      value: Number(Math.max(...frames).toFixed(1)),
      unit: 'ms',
    });
    const loaded = await page
      .locator('[data-seq]')
      .evaluateAll((els) => Math.min(...els.map((e) => Number(e.getAttribute('data-seq')))));
    results.push({
      bench: 'console',
      case: 'audit view scrolling 2,000 px a frame',
      metric: 'oldest seq reached after 240 frames',
      value: loaded,
      unit: 'seq',
    });
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
};

export default bench;
