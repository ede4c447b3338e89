import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: '/',
  build: {
    outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 2000,
    // The draft review page (docs/ingest.md) is a page of its own beside the viewer.
    rollupOptions: { input: { main: resolve(__dirname, 'index.html'), review: resolve(__dirname, 'review.html') } },
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
