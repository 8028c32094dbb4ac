import { fileURLToPath } from 'node:url';
import { defineConfig, defineProject } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Every package but the console: Node, PGlite and PostgreSQL, real servers, Chromium. */
const packages = defineProject({
  resolve: {
    alias: [
      { find: /^@proofpane\/api$/, replacement: src('./api/src/index.ts') },
      { find: /^@proofpane\/core\/testing$/, replacement: src('./core/src/testing/index.ts') },
      { find: /^@proofpane\/core$/, replacement: src('./core/src/index.ts') },
      { find: /^@proofpane\/evidence-verifier$/, replacement: src('./evidence-verifier/src/index.ts') },
      { find: /^@proofpane\/commands$/, replacement: src('./commands/src/index.ts') },
      { find: /^@proofpane\/projections$/, replacement: src('./projections/src/index.ts') },
      { find: /^@proofpane\/server$/, replacement: src('./server/src/index.ts') },
      { find: /^@proofpane\/daemon$/, replacement: src('./daemon/src/index.ts') },
    ],
  },
  test: {
    name: 'packages',
    include: ['*/src/**/*.spec.ts', '*/test/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'web/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./core/src/testing/global-setup.ts'],
  },
});

// The console's specs need the Svelte compiler for its runes modules: web/ has its own project.
export default defineConfig({ test: { projects: [packages, './web/vitest.config.ts'] } });
