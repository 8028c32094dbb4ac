import { parseArgs } from 'node:util';
import { openDatabase } from '../store/postgres/database.js';
import { PostgresEventStore } from '../store/postgres/postgres-event-store.js';
import { noted, testCatalogue } from './test-catalogue.js';

// A separate process that appends to one org and prints the id of every event whose
// append was acknowledged, so tests can check nothing acknowledged is lost or forked.
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'data-dir': { type: 'string' },
    org: { type: 'string' },
    count: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '8' },
  },
});
const database = await openDatabase({ url: values.url, dataDir: values['data-dir'] });
const store = await PostgresEventStore.open({ database, catalogue: testCatalogue });
const limit = Number(values.count) || Number.POSITIVE_INFINITY;
const org = values.org ?? 'org_worker';
let issued = 0;

async function lane() {
  while (issued < limit) {
    const n = issued++;
    const [event] = await store.append({ org, events: [noted(n, `worker/${process.pid}`)] });
    process.stdout.write(`ack ${event!.id}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: Number(values.concurrency) }, lane));
await store.close();
await database.close();
