// The built viewer carries the licences of the packages bundled into it (viewer/vite.config.ts,
// rollup-plugin-license), served beside it, and every one of them is permissive: the build fails
// on a copyleft one, and this checks the file that build leaves behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createApp } from '../../api/http/app.js';
import { Executor } from '../../api/store/executor.js';
import { projectRoot } from '../../core/config.js';

const dist = path.join(projectRoot, 'viewer', 'dist');
const notices = path.join(dist, 'THIRD-PARTY-LICENSES.txt');
const built = fs.existsSync(notices);

describe('third-party licences of the viewer bundle', () => {
  it('lists every bundled package with a permissive licence, served at /THIRD-PARTY-LICENSES.txt', { skip: built ? false : 'viewer/dist is not built (npm run build; npm test builds it first)' }, async () => {
    // No database is needed to serve a static file: the executor is never asked.
    const ex = new Executor({ uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'unused', database: 'neo4j', local: false }, 1000);
    try {
      const res = await createApp({ executor: ex, viewerDir: dist, rateLimit: false }).fetch('http://localhost/THIRD-PARTY-LICENSES.txt');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      const packages = [...text.matchAll(/^Name: (.+)\n(?:.*\n)*?License: (.+)$/gm)].map((m) => ({ name: m[1], license: m[2] }));
      const names = packages.map((p) => p.name);
      for (const bundled of ['cytoscape', 'cytoscape-fcose', 'svgcanvas']) assert.ok(names.includes(bundled), `${bundled} is listed`);
      assert.ok(!names.includes('cytoscape-svg'), 'the GPL-3.0 SVG exporter is not bundled');
      for (const p of packages) assert.match(p.license, /^(MIT|ISC|BSD-2-Clause|BSD-3-Clause|Apache-2\.0|0BSD|Zlib)$/, `${p.name}: ${p.license}`);
    } finally {
      await ex.close();
    }
  });
});
