import { parseArgs } from 'node:util';
import { startFakeOpenAI } from '../commands/src/testing/index.js';

// The local fake OpenAI upstream in its own process, so the gateway bench measures the gateway's
// work and not the fake's on the gateway's thread. Prints its URL, then serves until killed.
const { values } = parseArgs({ options: { 'delay-ms': { type: 'string', default: '0' } } });
const delayMs = Number(values['delay-ms']);
const upstream = await startFakeOpenAI({
  fallback: { text: 'A short two-line summary.', usage: { input: 30, output: 8 }, delayMs },
});
// The fake records every request for tests; a long run would keep them all.
setInterval(() => upstream.requests.splice(0), 1_000);
process.stdout.write(`${upstream.url}\n`);
