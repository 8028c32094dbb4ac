import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

// The load generator in its own process: autocannon against one URL, every 2xx response time kept at
// full resolution. Prints one JSON line {p50, p99, count, errors, stages} (ms). `stages` holds the p50 of each
// Server-Timing metric the target sent (the gateway's own per-gate counters; none from the direct upstream or
// Portkey), plus `other`: per response, its total minus the gates it names.
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    body: { type: 'string' },
    header: { type: 'string', multiple: true, default: [] },
    connections: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '5' },
    rate: { type: 'string' },
  },
});
const headers: Record<string, string> = { 'content-type': 'application/json' };
for (const h of values.header ?? []) {
  const at = h.indexOf(':');
  headers[h.slice(0, at).trim().toLowerCase()] = h.slice(at + 1).trim();
}
const times: number[] = [];
let errors = 0;
const stageTimes = new Map<string, number[]>();
const keep = (name: string, ms: number) => {
  const list = stageTimes.get(name) ?? [];
  list.push(ms);
  stageTimes.set(name, list);
};
/** `policy;dur=0.12, audit;dur=1.50, total;dur=3.10` → per-metric durations, and what the gates leave of total. */
const readServerTiming = (value: string) => {
  let named = 0;
  let total: number | undefined;
  for (const part of value.split(',')) {
    const match = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (!match) continue;
    const ms = Number(match[2]);
    keep(match[1]!, ms);
    if (match[1] === 'total') total = ms;
    else named += ms;
  }
  if (total !== undefined) keep('other', total - named);
};
// At run time the event carries the HTTP parser's info, whose `headers` is a flat list (name, value, …),
// not the object its type declares.
const setupClient = (client: autocannon.Client) => {
  client.on('headers', (info) => {
    const raw = (info as unknown as { headers: unknown[] }).headers;
    for (let i = 0; i + 1 < raw.length; i += 2)
      if (String(raw[i]).toLowerCase() === 'server-timing') readServerTiming(String(raw[i + 1]));
  });
};
await new Promise<void>((resolve, reject) => {
  const instance = autocannon(
    {
      url: values.url!,
      method: 'POST',
      body: values.body!,
      headers,
      connections: Number(values.connections),
      setupClient,
      duration: Number(values.seconds),
      ...(values.rate ? { overallRate: Number(values.rate) } : {}),
    },
    (error) => (error ? reject(error) : resolve()),
  );
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) times.push(ms);
    else errors += 1;
  });
});
const at = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
times.sort((a, b) => a - b);
const stages = Object.fromEntries(
  [...stageTimes].map(([name, list]) => [
    name,
    at(
      list.sort((a, b) => a - b),
      50,
    ),
  ]),
);
process.stdout.write(
  `${JSON.stringify({ p50: at(times, 50), p99: at(times, 99), count: times.length, errors, stages })}\n`,
);
