import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: '/',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
