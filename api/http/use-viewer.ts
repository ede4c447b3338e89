// Serves the built viewer (viewer/dist) at `/`; every other path falls through to GraphQL.
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.map': 'application/json',
};

export function useViewer(distDir: string): Plugin {
  const root = path.resolve(distDir);
  return {
    onRequest(hook) {
      const { request, url, fetchAPI } = hook;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/graphql' || url.pathname === '/health' || url.pathname === '/ready') return;
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep)) return;
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        if (url.pathname === '/') {
          hook.endResponse(new fetchAPI.Response('The viewer is not built yet: run `npm run build`. GraphQL is at /graphql.',
            { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        }
        return;
      }
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      hook.endResponse(new fetchAPI.Response(fs.readFileSync(file), { headers: { 'content-type': type, 'cache-control': cache } }));
    },
  };
}
