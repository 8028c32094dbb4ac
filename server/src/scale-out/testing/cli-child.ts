import { runCli } from '../../cli.js';

// `proofpane` from the sources, for specs that start real processes without a build.
await runCli(process.argv);
