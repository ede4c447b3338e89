// GraphiQL served from our own dependencies, so it works on a network without internet access.
// graphql-yoga's default page loads GraphiQL's scripts, styles and editor workers from unpkg;
// `@graphql-yoga/render-graphiql` bundles the same build as strings (script, style, three Monaco
// workers, favicon). Its own renderer inlines all of them into every page (~9 MB); we serve them
// instead as files under /graphiql/<version>/ (cached by the browser, loaded on first use) and
// render a small page that points at them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

const bundleVersion = (() => {
  // The package's exports do not include package.json: look for it above the entry point.
  let dir = path.dirname(createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql'));
  for (let up = 0; up < 4; up++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    const pkg = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string } : {};
    if (pkg.name === '@graphql-yoga/render-graphiql' && pkg.version) return pkg.version;
  }
  throw new Error('@graphql-yoga/render-graphiql: package.json not found');
})();

/** Where the assets live; the version in the path lets browsers keep them for good. */
export const GRAPHIQL_ASSETS = `/graphiql/${bundleVersion}`;

const JS = 'text/javascript; charset=utf-8';
type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');
const FILES: Record<string, { type: string; body: (b: Bundle) => string | Buffer }> = {
  'yoga-graphiql.js': { type: JS, body: (b) => b.js },
  'graphiql.css': { type: 'text/css; charset=utf-8', body: (b) => b.css },
  'editor.worker.js': { type: JS, body: (b) => b.editorWorkerService },
  'json.worker.js': { type: JS, body: (b) => b.jsonWorker },
  'graphql.worker.js': { type: JS, body: (b) => b.graphqlWorker },
  'favicon.ico': { type: 'image/x-icon', body: (b) => Buffer.from(b.favicon.slice(b.favicon.indexOf(',') + 1), 'base64') },
};

type Asset = { type: string; body: Uint8Array<ArrayBuffer> };
let assets: Promise<Map<string, Asset>> | undefined;
/** The ~9 MB bundle is read on the first request for it, not at start-up. */
function loadAssets(): Promise<Map<string, Asset>> {
  assets ??= import('@graphql-yoga/render-graphiql/graphiql').then((bundle) => new Map(Object.entries(FILES)
    .map(([name, f]) => {
      const body = f.body(bundle);
      return [name, { type: f.type, body: typeof body === 'string' ? new TextEncoder().encode(body) : Uint8Array.from(body) }];
    })));
  return assets;
}

/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page: GraphiQL from GRAPHIQL_ASSETS, nothing from another origin. */
export function renderLocalGraphiQL(opts: GraphiQLOptions = {}): string {
  const title = opts.title || 'GraphiQL';
  const worker = (name: string) => `${GRAPHIQL_ASSETS}/${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="${GRAPHIQL_ASSETS}/favicon.ico" />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root">Loading ${escapeHtml(title)} …</div>
    <script>
      const workers = ${scriptJson({ editorWorkerService: worker('editor.worker.js'), json: worker('json.worker.js'), graphql: worker('graphql.worker.js') })};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
    </script>
    <script src="${GRAPHIQL_ASSETS}/yoga-graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(opts)});
    </script>
  </body>
</html>
`;
}

/** Serves GRAPHIQL_ASSETS/* (GET and HEAD). */
export function useGraphiQLAssets(): Plugin {
  return {
    async onRequest(hook) {
      const { request, url, fetchAPI } = hook;
      if (!url.pathname.startsWith(`${GRAPHIQL_ASSETS}/`) || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const file = (await loadAssets()).get(url.pathname.slice(GRAPHIQL_ASSETS.length + 1));
      if (!file) {
        hook.endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      hook.endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : file.body, {
        headers: { 'content-type': file.type, 'content-length': String(file.body.length), 'cache-control': 'public, max-age=31536000, immutable' },
      }));
    },
  };
}
