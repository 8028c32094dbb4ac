import { fileURLToPath } from 'node:url';
import { bundleAll } from './bundle.js';

await bundleAll(fileURLToPath(new URL('../dist', import.meta.url)));
