import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** A single-page app: no server rendering, one fallback page that the server returns for every console URL. */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({
      pages: 'build',
      assets: 'build',
      fallback: 'index.html',
      precompress: false,
      strict: true,
    }),
    appDir: '_app',
    alias: {
      '@proofpane/api': fileURLToPath(new URL('../api/src/index.ts', import.meta.url)),
      '@proofpane/evidence-verifier': fileURLToPath(
        new URL('../evidence-verifier/src/index.ts', import.meta.url),
      ),
    },
    version: { pollInterval: 0 },
  },
};
