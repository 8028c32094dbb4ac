import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The console's unit specs: its stores and helpers, with Svelte's client runtime compiling the runes. */
export default defineProject({
  plugins: [svelte()],
  resolve: {
    alias: {
      $lib: src('./src/lib'),
      '@proofpane/api': src('../api/src/index.ts'),
    },
    conditions: ['browser'],
  },
  test: {
    name: 'web',
    include: ['src/**/*.unit.spec.ts'],
  },
});
