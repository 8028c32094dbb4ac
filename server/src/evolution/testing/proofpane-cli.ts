import { runCli } from '../../cli.js';

// The server's command line as a process of its own, run from source by specs.
await runCli(process.argv);
