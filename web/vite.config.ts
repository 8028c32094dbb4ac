import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const api = process.env.PROOFPANE_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [sveltekit()],
  worker: { format: 'es' },
  // Bundled so kit's own dependencies resolve from kit, not from whatever the workspace root hoisted.
  ssr: { noExternal: ['@sveltejs/kit', 'cookie'] },
  build: { chunkSizeWarningLimit: 800 },
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': api, '/v1': api, '/.well-known': api },
  },
});
