import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers, bottom first: a folder may import from the folders before it, never after. The
 * viewer is its own stack on top of model/ only. cli/ is the top: every command, including the
 * docs and property scripts that drive the test harness. docs/architecture.md draws the same picture.
 */
export const LAYERS = ['model', 'core', 'db', 'api/store', 'api/stix', 'api/tables', 'api/graphql', 'api/http', 'seed', 'bench', 'test', 'cli'];

export const layerZones = [
  ...LAYERS.map((target, i) => ({
    target: `./${target}`,
    from: [...LAYERS.slice(i + 1), 'viewer'].map((f) => `./${f}`),
    message: `${target}/ sits below these folders (layers: ${LAYERS.join(' → ')}); move the shared code down instead.`,
  })),
  { target: './viewer', from: LAYERS.filter((l) => l !== 'model').map((f) => `./${f}`), message: 'the viewer may import model/ only; everything else reaches it through the API.' },
];

/** The boundary rule on its own, so a test can lint a made-up file against it. */
export const boundaryConfig = {
  plugins: { 'import-x': importX },
  settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
  rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'viewer/dist/', 'db/lib/', '.data/', '.prof/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['**/*.ts'], ...boundaryConfig },
);
