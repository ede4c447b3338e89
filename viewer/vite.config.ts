import { resolve } from 'node:path';
import license from 'rollup-plugin-license';
import { defineConfig } from 'vite';

/**
 * Licences a package bundled into the viewer may carry. The built viewer is handed to whoever opens
 * it, so a copyleft package (cytoscape-svg, GPL-3.0, was one) would put the whole bundle under its
 * terms: the build fails instead, naming the package.
 */
const PERMISSIVE = '(MIT OR ISC OR BSD-2-Clause OR BSD-3-Clause OR Apache-2.0 OR 0BSD OR Zlib)';

export default defineConfig({
  root: __dirname,
  base: '/',
  build: {
    outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 2000,
    // The draft review page (docs/ingest.md) is a page of its own beside the viewer.
    rollupOptions: { input: { main: resolve(__dirname, 'index.html'), review: resolve(__dirname, 'review.html') } },
  },
  plugins: [
    license({
      thirdParty: {
        includePrivate: false,
        allow: { test: PERMISSIVE, failOnUnlicensed: true, failOnViolation: true },
        // Each bundled package's name, version, licence and licence text, served beside the viewer.
        output: { file: resolve(__dirname, 'dist', 'THIRD-PARTY-LICENSES.txt') },
      },
    }),
  ],
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
