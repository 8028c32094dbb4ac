import { Command } from 'commander';
import { registerProjectionCommands } from '../cli.js';

// The projection commands as a process of their own, for specs that kill it midway.
const program = new Command('proofpane');
registerProjectionCommands(program);
await program.parseAsync(process.argv);
