import type { AddressInfo } from 'node:net';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openRuntime } from '../../runtime/runtime.js';

// The whole server as a process of its own, for specs that SIGKILL it mid-burst. Prints its URL once up.
const runtime = await openRuntime({ config: loadConfig(process.env) });
const app = await buildApp({ runtime });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as AddressInfo;
process.stdout.write(`listening http://127.0.0.1:${port}\n`);
