// The layering rule (eslint.config.js: import-x/no-restricted-paths over LAYERS) refuses an import
// that runs back up, and lets the downward ones through. No database.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaryConfig, LAYERS } from '../../eslint.config.js';
import { projectRoot } from '../../core/config.js';

const eslint = new ESLint({
  cwd: projectRoot,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, ...boundaryConfig }],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layers', () => {
  it('the order is the one docs/architecture.md draws', () => {
    assert.deepEqual(LAYERS, ['model', 'core', 'db', 'api/store', 'api/stix', 'api/tables', 'api/ingest', 'api/graphql', 'api/http', 'seed', 'bench', 'test', 'cli']);
  });

  it('an import that runs back up is refused, naming the layers', async () => {
    const up = await problems('api/store/probe.ts', "import { createApp } from '../http/app.js';\nexport const x = createApp;\n");
    assert.equal(up.length, 1, up.join('\n'));
    assert.match(up[0], /no-restricted-paths: .*api\/store\/ sits below/);
    const modelUp = await problems('model/probe.ts', "import { loadConfig } from '../core/config.js';\nexport const x = loadConfig;\n");
    assert.equal(modelUp.length, 1, 'model/ imports nothing of ours');
    const viewer = await problems('viewer/src/probe.ts', "import { createApp } from '../../api/http/app.js';\nexport const x = createApp;\n");
    assert.equal(viewer.length, 1, 'the viewer reaches the API only over HTTP');
  });

  it('downward imports pass', async () => {
    assert.deepEqual(await problems('api/http/probe.ts', "import { writeBatch } from '../store/write-graph.js';\nimport { ENTITY_KINDS } from '../../model/model.js';\nexport const x = [writeBatch, ENTITY_KINDS];\n"), []);
    assert.deepEqual(await problems('viewer/src/probe.ts', "import { ENTITY_KINDS } from '../../model/model.js';\nexport const x = ENTITY_KINDS;\n"), []);
  });
});
