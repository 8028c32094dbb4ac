import { parseArgs } from 'node:util';

// A separate process holding many SSE clients, so a fan-out bench measures the server's delivery and
// not the readers' parsing on the server's own thread. Prints `ready`, then `<id> <epoch ms>` per
// message received by any client (performance.timeOrigin + now: sub-millisecond and comparable
// across processes on one machine).
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string' },
    header: { type: 'string' },
    value: { type: 'string' },
  },
});
const clients = Number(values.clients);
let connected = 0;
const now = () => performance.timeOrigin + performance.now();
const out: string[] = [];
const flush = () => {
  if (out.length > 0) process.stdout.write(`${out.splice(0).join('\n')}\n`);
};
setInterval(flush, 20).unref();
for (let i = 0; i < clients; i++) {
  void (async () => {
    const res = await fetch(values.url!, { headers: { [values.header!]: values.value! } });
    connected += 1;
    if (connected === clients) process.stdout.write('ready\n');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body!) {
      const at = now();
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const id = /^id: (\d+)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (id) out.push(`${id} ${at}`);
      }
    }
  })();
}
