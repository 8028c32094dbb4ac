import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

// The load generator in its own process: autocannon against one URL, every 2xx response time kept at
// full resolution. Prints one JSON line {p50, p99, count, errors} (ms), or RSS samples with --sample-pid.
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
await new Promise<void>((resolve, reject) => {
  const instance = autocannon(
    {
      url: values.url!,
      method: 'POST',
      body: values.body!,
      headers,
      connections: Number(values.connections),
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
times.sort((a, b) => a - b);
const at = (p: number) =>
  times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? Number.NaN;
process.stdout.write(`${JSON.stringify({ p50: at(50), p99: at(99), count: times.length, errors })}\n`);
