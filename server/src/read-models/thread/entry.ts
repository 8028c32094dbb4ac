import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, PostgresEventStore } from '@proofpane/core';
import { startProjections } from '@proofpane/projections';
import {
  type FromProjections,
  PROJECTIONS_APPLICATION_NAME,
  type ProjectionsThreadData,
  type ToProjections,
} from './messages.js';

/**
 * The projections thread: its own pool on the same database, its own store to follow the log,
 * and the runners. It only reads the log and writes the read models, so the server's thread
 * keeps its event loop for the gateway.
 */
const port = parentPort;
if (!port) throw new Error('the projections entry runs in a worker thread');
const data = workerData as ProjectionsThreadData;
const post = (message: FromProjections) => port.postMessage(message);

// Named, so an operator (and the spec) tells the thread's connections from the server's.
const url = new URL(data.databaseUrl);
url.searchParams.set('application_name', PROJECTIONS_APPLICATION_NAME);
const database = await openDatabase({ url: url.toString(), poolSize: data.poolSize });
const store = await PostgresEventStore.open({ database, pollMs: data.pollMs });
const handle = await startProjections({
  database,
  store,
  onError: (error, projection) =>
    post({
      kind: 'error',
      projection,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    }),
});
handle.onApplied((applied) => post({ kind: 'applied', applied }));

let stopping = false;
port.on('message', (message: ToProjections) => {
  if (message.kind === 'committed') {
    // The server's commits wake the runners now rather than at their next poll.
    store.committedElsewhere(message.cursor, new Set(message.types));
  } else if (message.kind === 'states') {
    post({ kind: 'states', id: message.id, states: handle.states() });
  } else if (message.kind === 'stop' && !stopping) {
    stopping = true;
    void (async () => {
      await handle.stop();
      await store.close();
      await database.close();
      post({ kind: 'stopped' });
      port.close();
    })();
  }
});
post({ kind: 'ready' });
