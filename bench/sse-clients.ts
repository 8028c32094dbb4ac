import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';

// A separate process holding many SSE clients, so a fan-out bench measures the server's delivery and
// not the readers' parsing on the server's own thread. Prints `ready`, then `<id> <epoch ms>` per
// message received by any client (performance.timeOrigin + now: sub-millisecond and comparable
// across processes on one machine). Plain node:http sockets: 200 readers in one process should cost
// what 200 browsers on 200 machines would, not queue behind each other's stream machinery.
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string' },
    header: { type: 'string' },
    value: { type: 'string' },
  },
});
const clients = Number(values.clients);
const url = new URL(values.url!);
const agent = new Agent({ keepAlive: true, maxSockets: clients });
let connected = 0;
const now = () => performance.timeOrigin + performance.now();
const out: string[] = [];
const flush = () => {
  if (out.length > 0) process.stdout.write(`${out.splice(0).join('\n')}\n`);
};
setInterval(flush, 20).unref();
const ID_LINE = /^id: (\d+)$/m;
for (let i = 0; i < clients; i++) {
  request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      agent,
      headers: { [values.header!]: values.value! },
    },
    (res) => {
      connected += 1;
      if (connected === clients) process.stdout.write('ready\n');
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const id = ID_LINE.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (id) out.push(`${id} ${at}`);
        }
      });
    },
  ).end();
}
